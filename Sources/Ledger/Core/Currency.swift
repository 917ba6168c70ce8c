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
        self = try decoder.decodeChecked { text throws(LedgerError) in try Currency(text) }
    }

    public func encode(to encoder: any Encoder) throws { try encoder.encodeText(code) }

    /// Renders minor units as "195.00".
    public func format(_ minor: Int64) -> String {
        LedgerDecimal(mantissa: minor, scale: minorExponent).description
    }

    /// Parses "195.00", "195" or "-3.50" from the given `field` into minor units. Says which is wrong: not an
    /// amount, more decimals than the currency has, or beyond the ledger's maximum amount (however many digits).
    public func parse(_ text: String, field: String = "amount") throws(LedgerError) -> Int64 {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)) else {
            throw .invalid("\(field) '\(text)' is not an amount like \(format(1250))")
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= minorExponent else {
            throw .invalid("\(field) '\(text)' has more decimals than \(code) has (\(minorExponent))")
        }
        // Digits beyond the maximum's are refused before they are multiplied, so no text can overflow.
        let digits = (whole + fraction + String(repeating: "0", count: minorExponent - fraction.count)).drop { $0 == "0" }
        guard digits.count <= String(AmountLimit.maximum).count, let magnitude = Int64(digits.isEmpty ? "0" : digits),
              magnitude <= AmountLimit.maximum else {
            throw AmountLimit.beyondMaximum(field, self)
        }
        return negative ? -magnitude : magnitude
    }
}
