/// An ISO 4217 currency code and how many decimals its minor unit has.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: String

    public init(_ code: String) throws(LedgerError) {
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw .invalid("currency '\(code)' is not an ISO 4217 code like CAD or EUR")
        }
        self.code = code
    }

    /// Currencies whose minor unit is not the usual hundredth.
    private static let exponents: [String: Int] = [
        "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0, "XAF": 0,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
    ]

    public var minorExponent: Int { Self.exponents[code] ?? 2 }
    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(code) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// Renders minor units as "195.00".
    public func format(_ minor: Int64) -> String {
        LedgerDecimal(mantissa: minor, scale: minorExponent).description
    }

    /// Parses "195.00" or "195" into minor units; more decimals than the currency has is an error.
    public func parse(_ text: String) throws(LedgerError) -> Int64 {
        guard let amount = LedgerDecimal(text), amount.scale <= minorExponent,
              let minor = amount.mantissa(atScale: minorExponent), let value = Int64(exactly: minor) else {
            throw .invalid("amount '\(text)' is not a \(code) amount with at most \(minorExponent) decimals")
        }
        return value
    }
}
