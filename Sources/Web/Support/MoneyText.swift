import Ledger

/// Money as people read it on the pages: "CAD 1,234.56" from 123456 minor units. Pure integer arithmetic on
/// the minor units, so what is shown is exactly what the ledger holds (no Double ever rounds a cent).
/// The JSON API keeps integer minor units; only the human pages use this.
public enum MoneyText {
    /// `minor` minor units of `currency`, in major units with the currency's own decimals (JPY has none,
    /// BHD three), digits grouped by thousands with ",", the sign after the code: "CAD -0.05".
    public static func format(_ minor: Int64, _ currency: Currency) -> String {
        let decimals = currency.minorExponent
        // magnitude is a UInt64, so even Int64.min has one.
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let whole = grouped(magnitude / scale)
        let sign = minor < 0 ? "-" : ""
        guard decimals > 0 else { return "\(currency.code) \(sign)\(whole)" }
        let fraction = String(magnitude % scale)
        return "\(currency.code) \(sign)\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    /// For amounts keyed by a currency code string (agent reports): an unknown code shows the raw minor units
    /// rather than a guessed number of decimals.
    public static func format(_ minor: Int64, code: String) -> String {
        guard let currency = try? Currency(code) else { return "\(minor) minor units of '\(code)'" }
        return format(minor, currency)
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
