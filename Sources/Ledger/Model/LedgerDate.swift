import Foundation

/// A UTC calendar date, "YYYY-MM-DD"; its text sorts in date order.
public struct LedgerDate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let text: String

    /// Today in UTC: what a record is dated when its caller (the CLI's `--date`, an HTTP body's `date`) names no day.
    public static func today() -> LedgerDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // A calendar's own year, month and day always make a valid date.
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return try! LedgerDate(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))
    }

    public init(_ text: String) throws(LedgerError) {
        guard let (year, month, day) = Self.fields(text), year >= 1, (1...12).contains(month),
              (1...Self.days(in: month, year: year)).contains(day) else {
            throw .invalid("date '\(text)' is not a calendar date YYYY-MM-DD")
        }
        self.text = text
    }

    /// Year, month and day of exactly "DDDD-DD-DD" in ASCII digits, read byte by byte: every event a distribution
    /// or `verify` loads has a date, and splitting the text was a visible part of loading 100,000 of them.
    private static func fields(_ text: String) -> (Int, Int, Int)? {
        var fields = (0, 0, 0), count = 0
        for byte in text.utf8 {
            defer { count += 1 }
            if count == 4 || count == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard count < 10, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            switch count {
            case 0..<4: fields.0 = fields.0 * 10 + digit
            case 5..<7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        return count == 10 ? fields : nil
    }

    private static func days(in month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String { text }
    public static func < (lhs: LedgerDate, rhs: LedgerDate) -> Bool { lhs.text < rhs.text }

    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeChecked { text throws(LedgerError) in try LedgerDate(text) }
    }

    public func encode(to encoder: any Encoder) throws { try encoder.encodeText(text) }
}
