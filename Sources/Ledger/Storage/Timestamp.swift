import Foundation

enum Timestamp {
    /// Wall-clock UTC, only for "when was this recorded" columns, never for intervals.
    static func nowUTC() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
