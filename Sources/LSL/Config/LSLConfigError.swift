/// A bad `lsl_api.cfg`: which file, which line (0 when the problem is the file itself), and what is wrong.
public struct LSLConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
