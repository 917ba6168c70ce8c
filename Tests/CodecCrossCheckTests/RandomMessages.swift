import CMWPTestSupport
import TestSupport

/// Seeded generator of messages that PROTOCOL.md allows, of every type, as `Fields`.
struct RandomMessages {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let types: [UInt8] = [0x01, 0x81, 0x02, 0x82, 0x03, 0x83, 0x04, 0x84, 0x05, 0x85, 0x06, 0x86, 0x07, 0x87,
                                 0x40, 0x41, 0x42]

    mutating func int<T: FixedWidthInteger>(_: T.Type = T.self) -> T { T.random(in: .min ... .max, using: &rng) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    /// Printable ASCII up to `width` characters; often empty or full width, where bugs live.
    mutating func ascii(width: Int) -> String {
        let length = [0, width, int(0...width)][int(0...2)]
        return String(decoding: (0..<length).map { _ in UInt8(int(0x20...0x7E)) }, as: UTF8.self)
    }

    mutating func utf8Text() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<int(0...40) {
            let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0x00...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF,
                                                0x10000...0x10FFFF]
            let pool = pools[int(0...pools.count - 1)]
            if let s = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { scalars.append(s) }
        }
        return String(scalars)
    }

    mutating func finiteDouble() -> Double {
        let specials: [Double] = [0, -0.0, 1e-12, -0.125, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        if int(0...3) == 0 { return specials[int(0...specials.count - 1)] }
        while true {
            let d = Double(bitPattern: int(UInt64.self))
            if d.isFinite { return d }
        }
    }

    mutating func status(okBias: Bool) -> UInt8 { okBias && int(0...1) == 0 ? 0 : UInt8(int(0...7)) }

    mutating func calibration(into f: inout Fields) {
        f.channel = int()
        f.degree = UInt8(int(0...3))
        f.coefficients = (0..<4).map { _ in finiteDouble() }
        f.calibrated_at = int()
        f.technician = ascii(width: 16)
    }

    mutating func identity(into f: inout Fields) {
        f.serial = ascii(width: 16)
        f.design = ascii(width: 16)
        f.hardware_revision = int()
        f.firmware = "\(int(UInt8.self)).\(int(UInt8.self)).\(int(UInt8.self))"
        let count = [0, 1, 32, int(0...32)][int(0...3)]
        f.channel_count = UInt8(count)
        f.max_rate_hz = int()
        let kinds: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 255]
        f.channels = (0..<count).map { _ in
            let a: Int32 = int()
            let b: Int32 = int()
            return Fields.Channel(
                kind: kinds[int(0...kinds.count - 1)], adc_bits: UInt8(int(1...32)), unit: ascii(width: 8),
                name: ascii(width: 16), raw_min: min(a, b), raw_max: max(a, b))
        }
    }

    /// One valid message of `type`.
    mutating func fields(type: UInt8) -> Fields {
        var f = Fields()
        switch type {
        case 0x01: f.host_version = int()
        case 0x02:
            f.rate_hz = int()
            f.channel_mask = int()
        case 0x03, 0x04: break
        case 0x05: f.channel = int()
        case 0x06: calibration(into: &f)
        case 0x07: f.host_time_ns = int()
        case 0x82, 0x83, 0x84, 0x86: f.status = status(okBias: true)
        case 0x81:
            // Error-form replies (status byte alone) are exercised for IDENTITY, CALIBRATION and PONG.
            f.status = status(okBias: true)
            if f.status == 0 { identity(into: &f) }
        case 0x85:
            f.status = status(okBias: true)
            if f.status == 0 { calibration(into: &f) }
        case 0x87:
            f.status = status(okBias: true)
            if f.status == 0 {
                f.host_time_ns = int()
                f.device_time_us = int()
            }
        case 0x40:
            var mask: UInt32 = 0
            while mask == 0 { mask = [int(), 1, 0xFFFF_FFFF, 0xFFFF][int(0...3)] }
            let width = mask.nonzeroBitCount
            let maxCount = 1016 / width
            let count = [1, maxCount, int(1...maxCount)][int(0...2)]
            f.first_index = int()
            f.device_time_us = int()
            f.channel_mask = mask
            f.count = UInt16(count)
            f.values = (0..<count).map { _ in (0..<width).map { _ in [int(), 0, 0x0101_0101][int(0...2)] } }
        case 0x41:
            f.flags = int()
            f.dropped_total = int()
            f.temperature_centi_c = int()
        case 0x42:
            f.level = int()
            f.text = utf8Text()
        default: preconditionFailure("no generator for type \(type)")
        }
        return f
    }
}
