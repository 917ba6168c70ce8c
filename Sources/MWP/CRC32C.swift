import CMWPAccel

/// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF.
/// Check value of ASCII "123456789" is 0xE3069283.
///
/// The decoder checks every byte it receives, so this is on the hot path: the CPU's CRC-32C instructions when it
/// has them (x86-64 SSE4.2, probed once), slicing-by-8 tables otherwise. Both give identical results.
public enum CRC32C {
    /// A way of computing the checksum; `available` lists those this CPU can run.
    public enum Implementation: Sendable, CaseIterable, CustomStringConvertible {
        case hardware
        case software

        public var description: String { self == .hardware ? "hardware" : "software (slicing-by-8)" }
    }

    public static let hardwareAvailable: Bool = mwp_accel_crc32c_available()

    /// What `update` and `checksum` use on this CPU.
    public static let preferred: Implementation = hardwareAvailable ? .hardware : .software

    /// Every implementation this CPU can run, fastest first (tests check they agree).
    public static var available: [Implementation] { hardwareAvailable ? [.hardware, .software] : [.software] }

    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        ~update(0xFFFF_FFFF, bytes)
    }

    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { crc = update(crc, UnsafeRawBufferPointer($0)) }
        if contiguous == nil { crc = Array(bytes).withUnsafeBytes { update(crc, $0) } }
        return ~crc
    }

    /// Raw register update (no pre/post inversion), for callers that checksum in pieces.
    @inline(__always)
    public static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        hardwareAvailable ? hardwareUpdate(register, bytes) : softwareUpdate(register, bytes)
    }

    /// `update` with a chosen implementation; `implementation` must be in `available`.
    public static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer, using implementation: Implementation) -> UInt32 {
        switch implementation {
        case .hardware:
            precondition(hardwareAvailable, "hardware CRC-32C requested on a CPU without it")
            return hardwareUpdate(register, bytes)
        case .software:
            return softwareUpdate(register, bytes)
        }
    }

    @inline(__always)
    static func hardwareUpdate(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return register }
        return mwp_accel_crc32c_update(register, base, bytes.count)
    }

    /// Eight 256-entry tables in one allocation that lives for the process, so the inner loop indexes one
    /// buffer without bounds or uniqueness checks.
    nonisolated(unsafe) static let table: UnsafePointer<UInt32> = {
        let t = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[n] = c
        }
        for n in 0..<256 {
            var c = t[n]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + n] = c
            }
        }
        return UnsafePointer(t)
    }()

    static func softwareUpdate(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let p = bytes.baseAddress else { return register }
        let t = table
        var crc = register
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let lo = p.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ crc
            let hi = p.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
            crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
            i += 8
        }
        while i < n {
            crc = t[Int((crc ^ UInt32(p.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            i += 1
        }
        return crc
    }
}
