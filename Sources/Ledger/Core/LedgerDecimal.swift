/// An exact decimal number (mantissa × 10^-scale) for rates, hours, percentages and factors.
///
/// Accounting never touches floating point: values are parsed from text ("25.50") and every
/// product is carried in `Int128` until it is rounded to a minor unit once.
public struct LedgerDecimal: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let mantissa: Int64
    public let scale: Int

    /// Inputs are kept small enough that a product of three of them, times 10^exponent, fits `Int128`.
    public static let maxScale = 6
    public static let maxMantissa: Int64 = 1_000_000_000_000  // 10^12

    public init(mantissa: Int64, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    public init(_ integer: Int64) {
        self.init(mantissa: integer, scale: 0)
    }

    /// Parses "12", "-3.5", "0.25". No exponents, no thousands separators.
    public init?(_ text: String) {
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let whole = parts.first, !whole.isEmpty,
              whole.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit),
              fraction.count <= Self.maxScale else { return nil }
        guard let value = Int64(whole + fraction), value <= Self.maxMantissa else { return nil }
        self.init(mantissa: negative ? -value : value, scale: fraction.count)
    }

    public var description: String {
        let magnitude = String(mantissa.magnitude)
        guard scale > 0 else { return (mantissa < 0 ? "-" : "") + magnitude }
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return (mantissa < 0 ? "-" : "") + padded[..<split] + "." + padded[split...]
    }

    public var isNegative: Bool { mantissa < 0 }
    public var isZero: Bool { mantissa == 0 }
    public var isPositive: Bool { mantissa > 0 }

    /// The value scaled to exactly `digits` decimals, if no precision is lost.
    public func mantissa(atScale digits: Int) -> Int128? {
        guard digits >= scale else { return nil }
        return Int128(mantissa) * Int128.power10(digits - scale)
    }

    public static func < (lhs: LedgerDecimal, rhs: LedgerDecimal) -> Bool {
        let digits = max(lhs.scale, rhs.scale)
        return lhs.mantissa(atScale: digits)! < rhs.mantissa(atScale: digits)!
    }

    public static func == (lhs: LedgerDecimal, rhs: LedgerDecimal) -> Bool {
        let digits = max(lhs.scale, rhs.scale)
        return lhs.mantissa(atScale: digits)! == rhs.mantissa(atScale: digits)!
    }

    public func hash(into hasher: inout Hasher) {
        var m = mantissa, s = scale
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        hasher.combine(m); hasher.combine(s)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LedgerDecimal(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a decimal number like \"12.50\""))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension LedgerDecimal {
    /// round_half_away_from_zero(Π factors × 10^exponent): the one place decimals become minor units.
    /// Halves round away from zero so a reversal is exactly the negation of what it reverses.
    public static func minorUnits(product factors: [LedgerDecimal], exponent: Int) throws(LedgerError) -> Int64 {
        var numerator = Int128.power10(exponent)
        var scale = 0
        for factor in factors {
            let (product, overflow) = numerator.multipliedReportingOverflow(by: Int128(factor.mantissa))
            guard !overflow else { throw .amountTooLarge("amount too large to account exactly") }
            numerator = product
            scale += factor.scale
        }
        let rounded = Int128.divideRoundingHalfAway(numerator, Int128.power10(scale))
        guard let result = Int64(exactly: rounded) else { throw .amountTooLarge("amount too large to account exactly") }
        return result
    }
}

extension Int128 {
    static func power10(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }

    /// Division with halves rounded away from zero; `divisor` > 0.
    static func divideRoundingHalfAway(_ dividend: Int128, _ divisor: Int128) -> Int128 {
        let quotient = dividend.magnitude / divisor.magnitude
        let remainder = dividend.magnitude % divisor.magnitude
        let rounded = remainder * 2 >= divisor.magnitude ? quotient + 1 : quotient
        return dividend < 0 ? -Int128(rounded) : Int128(rounded)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
