import Foundation
import MosquitoModel
import Signal

/// One entry of a device's Markers stream: a JSON object whose `event` names it, so LabRecorder files and
/// analysis scripts can tell a gap from a reconnect without parsing prose.
public struct LSLMarker: Sendable, Equatable {
    public var event: String
    public var fields: [(String, MarkerValue)]

    public enum MarkerValue: Sendable, Equatable {
        case text(String)
        case number(UInt64)
        /// A number that may be negative (a clock's drift).
        case signed(Int64)
    }

    public init(_ event: String, _ fields: [(String, MarkerValue)] = []) {
        self.event = event
        self.fields = fields
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.event == b.event && a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1)
    }

    /// Keys in the order given, `event` first: stable text a test or a script can compare.
    public var json: String {
        var parts = ["\"event\":" + Self.quoted(event)]
        for (key, value) in fields {
            switch value {
            case .text(let s): parts.append(Self.quoted(key) + ":" + Self.quoted(s))
            case .number(let n): parts.append(Self.quoted(key) + ":" + String(n))
            case .signed(let n): parts.append(Self.quoted(key) + ":" + String(n))
            }
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func gap(first: UInt64, count: UInt64, cause: String) -> LSLMarker {
        LSLMarker("gap", [("first_missing_index", .number(first)), ("count", .number(count)), ("cause", .text(cause))])
    }

    /// The recording's own names for causes (`transport_gap` …), and `lsl_overrun` for frames this bridge itself
    /// could not take in time.
    static func causeName(_ cause: GapCause) -> String { cause.rawValue }

    /// A JSON string literal (Foundation's encoder: every character a JSON reader needs escaped is).
    private static func quoted(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
