import Ledger
import Testing
@testable import Web

@Suite("money on the pages")
struct MoneyTextTests {
    static let cases: [(Int64, String, String)] = [
        (123_456, "CAD", "CAD 1,234.56"),
        (0, "CAD", "CAD 0.00"),
        (5, "CAD", "CAD 0.05"),
        (-5, "CAD", "CAD -0.05"),
        (-123_456, "EUR", "EUR -1,234.56"),
        (100, "EUR", "EUR 1.00"),
        (99_999, "EUR", "EUR 999.99"),
        (100_000, "EUR", "EUR 1,000.00"),
        (123_456_789_012, "CAD", "CAD 1,234,567,890.12"),
        // No decimals: yen are whole.
        (1_234_567, "JPY", "JPY 1,234,567"),
        (0, "JPY", "JPY 0"),
        (-1000, "JPY", "JPY -1,000"),
        // Three decimals.
        (1_234_567, "BHD", "BHD 1,234.567"),
        (7, "KWD", "KWD 0.007"),
        // Beyond any Double's exact range: every digit still exact.
        (Int64.max, "CAD", "CAD 92,233,720,368,547,758.07"),
        (Int64.min, "CAD", "CAD -92,233,720,368,547,758.08"),
    ]

    @Test("integer minor units become major units with the currency's decimals, exactly", arguments: cases)
    func format(minor: Int64, code: String, shown: String) throws {
        #expect(MoneyText.format(minor, try Currency(code)) == shown)
        #expect(MoneyText.format(minor, code: code) == shown)
    }

    @Test("an amount under a code that is not a currency is shown as raw minor units, never guessed")
    func unknownCode() {
        #expect(MoneyText.format(1234, code: "") == "1234 minor units of ''")
        #expect(MoneyText.format(-7, code: "cad") == "-7 minor units of 'cad'")
    }
}
