import Foundation

extension ValueEquation {
    /// Decodes and validates an equation file; every problem is one `LedgerError.equation` line.
    public static func load(json data: Data) throws(LedgerError) -> ValueEquation {
        let equation: ValueEquation
        do {
            equation = try JSONDecoder().decode(ValueEquation.self, from: data)
        } catch let error as DecodingError {
            throw .equation(Self.describe(error, in: data))
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

    /// One line per decoding problem; inside a bucket it starts with the bucket's id, as validation's do.
    private static func describe(_ error: DecodingError, in data: Data) -> String {
        func place(_ keys: [any CodingKey]) -> (prefix: String, path: String) {
            func render(_ keys: some Collection<any CodingKey>) -> String {
                let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
                return String(text.drop { (character: Character) in character == "." })
            }
            guard keys.count >= 2, keys[0].stringValue == "buckets", let index = keys[1].intValue else {
                return ("", render(keys))
            }
            return ("bucket \(bucketName(index, in: data)): ", render(keys.dropFirst(2)))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let (prefix, path) = place(context.codingPath)
            return "\(prefix)missing '\(key.stringValue)'" + (path.isEmpty ? "" : " at \(path)")
        case .typeMismatch(let type, let context):
            let (prefix, path) = place(context.codingPath)
            let hint = type == String.self ? " (write decimals as strings, e.g. \"12.5\")" : ""
            return "\(prefix)wrong type\(path.isEmpty ? "" : " at \(path)"): expected \(type)\(hint)"
        case .valueNotFound(_, let context):
            let (prefix, path) = place(context.codingPath)
            return "\(prefix)missing value" + (path.isEmpty ? "" : " at \(path)")
        case .dataCorrupted(let context):
            // Foundation reports a number that does not fit its field (a version past Int64, or 1.5) as invalid
            // JSON, without a path; the only number the format has is the version.
            if context.codingPath.isEmpty {
                guard (try? JSONSerialization.jsonObject(with: data)) != nil else { return "not valid JSON" }
                return "version: must be a whole number from 1 to \(Int64.max)"
            }
            let (prefix, path) = place(context.codingPath)
            return "\(prefix)\(path.isEmpty ? "" : "\(path): ")\(context.debugDescription)"
        @unknown default:
            return "unreadable equation"
        }
    }

    /// How a message names bucket `index`: by its id when it has one, else by its position.
    private static func bucketName(_ index: Int, in data: Data) -> String {
        let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let buckets = document?["buckets"] as? [Any]
        if let buckets, index < buckets.count, let id = (buckets[index] as? [String: Any])?["id"] as? String {
            return "'\(id)'"
        }
        return "#\(index + 1)"
    }
}
