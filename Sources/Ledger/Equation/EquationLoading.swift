import Foundation

extension ValueEquation {
    /// Decodes and validates an equation file; every problem is one `LedgerError.equation` line.
    public static func load(json data: Data) throws(LedgerError) -> ValueEquation {
        let equation: ValueEquation
        do {
            equation = try JSONDecoder().decode(ValueEquation.self, from: data)
        } catch let error as DecodingError {
            throw .equation(Self.describe(error))
        } catch {
            throw .equation("not valid JSON: \(error.localizedDescription)")
        }
        try equation.validate()
        return equation
    }

    /// The canonical text stored as the distribution's snapshot and shown by `equation show`.
    public func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case .typeMismatch(let type, let context):
            let hint = type == String.self ? " (write decimals as strings, e.g. \"12.5\")" : ""
            return "wrong type at \(path(context.codingPath)): expected \(type)\(hint)"
        case .valueNotFound(_, let context):
            return "missing value at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "unreadable equation"
        }
    }
}
