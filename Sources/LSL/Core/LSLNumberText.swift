#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as liblsl prints and reads them, so that what an inlet parses is bit for bit what it computes with.
public enum LSLNumberText {
    /// C `%#.16g`: liblsl's `to_string(double)` (16 significant digits, decimal point kept), used for every
    /// floating-point field of the info XML (`250.0000000000000`, `1.100000000000000`).
    public static func infoField(_ value: Double) -> String { format("%#.16g", value) }

    /// C `%.16g`: how a stream of precision 16 prints a double, as the time-correction reply does.
    public static func timeField(_ value: Double) -> String { format("%.16g", value) }

    /// The nominal rate an inlet reads back from the info XML: the printed text parsed again. Deduced timestamps
    /// are `previous + 1.0 / thisValue` on the inlet, so the outlet must add exactly the same interval.
    public static func rateAsInletReadsIt(_ rate: Double) -> Double { Double(infoField(rate)) ?? rate }

    private static func format(_ pattern: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, pattern, args) }
        }
        let bytes = buffer.prefix(max(0, min(Int(written), buffer.count - 1))).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
