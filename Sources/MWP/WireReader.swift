/// Reads little-endian fields from a payload, failing (never trapping) on truncated or malformed input.
public struct WireReader {
    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func u8() throws(MessageError) -> UInt8 { try load(UInt8.self) }
    public mutating func u16() throws(MessageError) -> UInt16 { try load(UInt16.self) }
    public mutating func i16() throws(MessageError) -> Int16 { Int16(bitPattern: try load(UInt16.self)) }
    public mutating func u32() throws(MessageError) -> UInt32 { try load(UInt32.self) }
    public mutating func i32() throws(MessageError) -> Int32 { Int32(bitPattern: try load(UInt32.self)) }
    public mutating func u64() throws(MessageError) -> UInt64 { try load(UInt64.self) }
    public mutating func f64() throws(MessageError) -> Double { Double(bitPattern: try load(UInt64.self)) }

    /// Fixed-width NUL-padded ASCII. Bytes after the first NUL must be NUL; any byte outside printable ASCII is
    /// refused, so hostile firmware cannot smuggle control characters into terminals or files.
    public mutating func fixedString(width: Int, field name: String) throws(MessageError) -> String {
        guard remaining >= width else { throw .truncated }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + width])
        offset += width
        var end = width
        if let nul = raw.firstIndex(of: 0) {
            end = nul
            if let stray = raw[nul...].first(where: { $0 != 0 }) { throw .nonASCII(field: name, byte: stray) }
        }
        let text = raw[..<end]
        if let bad = text.first(where: { $0 < 0x20 || $0 >= 0x7F }) { throw .nonASCII(field: name, byte: bad) }
        return String(decoding: text, as: UTF8.self)
    }

    public mutating func rest() -> UnsafeRawBufferPointer {
        defer { offset = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset...])
    }

    public func expectEnd() throws(MessageError) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }

    private mutating func load<T: FixedWidthInteger>(_: T.Type) throws(MessageError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw .truncated }
        defer { offset += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
