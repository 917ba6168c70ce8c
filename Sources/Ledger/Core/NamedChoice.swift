/// Decodes one of a closed set of names (an event kind, a claim rule, a mode). Anything else is a decoding
/// error that names what was expected and lists the allowed values — "unknown contribution kind 'labour'
/// (work, material, cash, expense, use, cite)" — never Swift's own "Cannot initialize … from invalid String".
func decodeChoice<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder, _ what: String) throws -> T
    where T.RawValue == String {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = T(rawValue: text) else {
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "unknown \(what) '\(text)' (\(T.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return value
}
