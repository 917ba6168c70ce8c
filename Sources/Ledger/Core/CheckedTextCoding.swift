/// Values the ledger writes as one checked string (a date, a currency code): JSON carries the text, and a text
/// the type refuses is a decoding error carrying the ledger's own message.
extension Decoder {
    func decodeChecked<T>(_ make: (String) throws(LedgerError) -> T) throws -> T {
        let text = try singleValueContainer().decode(String.self)
        do { return try make(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: error.description))
        }
    }
}

extension Encoder {
    func encodeText(_ text: String) throws {
        var container = singleValueContainer()
        try container.encode(text)
    }
}
