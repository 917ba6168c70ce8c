import Foundation
import MWP

/// One line of the history: a calibration (with its certificate ID) or a verification, never edited afterwards.
public struct HistoryEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case calibration, verification }

    public var kind: Kind
    /// Certificate ID for a calibration, report ID for a verification; unique across the history.
    public var id: String
    public var identity: IdentityRecord
    public var channel: UInt8
    /// Unix seconds, UTC.
    public var startedAt: UInt64
    public var finishedAt: UInt64
    public var technician: String
    /// Who authorised the result (ISO/IEC 17025 §7.8.2.1); the technician unless someone else signs.
    public var authorizedBy: String
    /// Ambient conditions as the technician stated them, when they influence the result.
    public var conditions: String?
    public var method: String
    public var calibration: CalibrationResult?
    /// What SET_CALIBRATION stored and the read-back confirmed.
    public var written: CalibrationRecord?
    public var verification: VerificationResult?
    public var decisionRule: DecisionRule

    public var serial: String { identity.serial }
}

/// The host's calibration history: an append-only JSON-lines file, one entry per line.
///
/// Append-only so that an earlier certificate can always be reprinted exactly as issued; a new calibration adds a
/// line, it never replaces one. Writers hold an exclusive lock while they check the ID is new and append.
public struct CalibrationHistory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_DATA_HOME/mosquito/calibration-history.jsonl`, else `~/.local/share/mosquito/…`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return base + "/mosquito/calibration-history.jsonl"
    }

    public func append(_ entry: HistoryEntry) throws(CalibrationError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let line: [UInt8]
        do { line = Array(try encoder.encode(entry)) + [0x0A] } catch {
            throw .history("cannot encode entry \(entry.id): \(error)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .history("cannot create \(directory): \(error.localizedDescription)")
            }
        }
        try HistoryFile.append(path: path, line: line) { existing throws(CalibrationError) in
            // A line cut short (a crash mid-write, an editor) would swallow the new entry: refuse rather than guess.
            if let last = existing.last, last != 0x0A {
                throw .history("\(path) ends in an incomplete line; repair the file before adding to it")
            }
            let ids = try Self.decode(existing).map(\.id)
            guard !ids.contains(entry.id) else { throw .history("ID \(entry.id) is already in \(path); history is never overwritten") }
        }
    }

    public func entries() throws(CalibrationError) -> [HistoryEntry] {
        try Self.decode(try HistoryFile.read(path: path))
    }

    public func entries(serial: String) throws(CalibrationError) -> [HistoryEntry] {
        try entries().filter { $0.serial == serial }
    }

    public func entry(id: String) throws(CalibrationError) -> HistoryEntry {
        guard let e = try entries().first(where: { $0.id == id }) else { throw .history("no entry \(id) in \(path)") }
        return e
    }

    /// The certificate behind the calibration a device holds now: what a recording writes into its header.
    public func certificateID(serial: String, stored: CalibrationRecord) throws(CalibrationError) -> String? {
        try entries().last { $0.kind == .calibration && $0.serial == serial && $0.written == stored }?.id
    }

    static func decode(_ bytes: [UInt8]) throws(CalibrationError) -> [HistoryEntry] {
        let decoder = JSONDecoder()
        var out: [HistoryEntry] = []
        for (n, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            do { out.append(try decoder.decode(HistoryEntry.self, from: Data(line))) } catch {
                throw .history("line \(n + 1) is not a history entry (\(error)); the file was edited by hand?")
            }
        }
        return out
    }
}

/// Certificate and report IDs: kind, UTC date, 32 random bits (`MQC-20261126-9F3A07C2`, `MQV-…`).
/// `CalibrationHistory.append` refuses a duplicate, so a collision can never overwrite an entry.
public enum CertificateID {
    public static func make(kind: HistoryEntry.Kind, at unixSeconds: UInt64) -> String {
        var rng = SystemRandomNumberGenerator()
        return make(kind: kind, at: unixSeconds, using: &rng)
    }

    public static func make(kind: HistoryEntry.Kind, at unixSeconds: UInt64, using rng: inout some RandomNumberGenerator) -> String {
        let prefix = kind == .calibration ? "MQC" : "MQV"
        let hex = String(UInt32.random(in: .min ... .max, using: &rng), radix: 16, uppercase: true)
        return "\(prefix)-\(utcDate(unixSeconds))-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    static func utcDate(_ t: UInt64) -> String { utcText(t, format: "yyyyMMdd") }
}
