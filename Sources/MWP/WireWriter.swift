/// Appends little-endian fields to a byte array: the encoding half of every message.
public struct WireWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func i16(_ v: Int16) { u16(UInt16(bitPattern: v)) }
    public mutating func u16(_ v: UInt16) { append(v) }
    public mutating func u32(_ v: UInt32) { append(v) }
    public mutating func i32(_ v: Int32) { append(UInt32(bitPattern: v)) }
    public mutating func u64(_ v: UInt64) { append(v) }
    public mutating func f64(_ v: Double) { append(v.bitPattern) }

    /// Fixed-width ASCII, NUL-padded. Callers validate first (`FixedString.validate`); extra bytes are cut.
    public mutating func fixedString(_ s: String, width: Int) {
        var utf8 = Array(s.utf8.prefix(width))
        utf8.append(contentsOf: repeatElement(0, count: width - utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Rules for the protocol's fixed-width ASCII strings.
public enum FixedString {
    /// A field holds printable ASCII only, and no more bytes than its width.
    public static func validate(_ s: String, width: Int, field: String) throws(MessageError) {
        guard s.utf8.count <= width else { throw .stringTooLong(field: field, width: width) }
        if let bad = s.utf8.first(where: { $0 < 0x20 || $0 >= 0x7F }) { throw .nonASCII(field: field, byte: bad) }
    }
}
