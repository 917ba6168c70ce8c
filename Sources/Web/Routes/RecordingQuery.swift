import Foundation
import Hummingbird
import Recording

/// The query of a request on a recording (`?device=…&from=…&to=…`), checked strictly: a parameter the route does
/// not know or one given twice is refused, so a misspelt `?form=1` is a 400 rather than a silently whole file.
struct RecordingQuery: Sendable {
    private let values: [String: String]

    init(_ request: Request, allowed: [String]) throws(WebError) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let key = String(key)
            guard allowed.contains(key) else {
                throw .badRequest("unknown query parameter '\(key)' (this route takes \(allowed.joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw .badRequest("query parameter '\(key)' is given twice") }
            values[key] = String(value)
        }
        self.values = values
    }

    subscript(key: String) -> String? { values[key] }

    /// Seconds of device time after the first sample: a finite number ≥ 0.
    func seconds(_ key: String) throws(WebError) -> Double? {
        guard let text = values[key] else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw .badRequest("\(key) must be seconds after the first sample, a number ≥ 0, not '\(text)'")
        }
        return value
    }

    /// `from` and `to` (seconds, `to` exclusive); when both are given `to` must come after `from`.
    func window() throws(WebError) -> (from: Double?, to: Double?) {
        let from = try seconds("from"), to = try seconds("to")
        if let from, let to, !(to > from) { throw .badRequest("the range is empty or reversed: to (\(to)) must be after from (\(from))") }
        return (from, to)
    }

    func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(WebError) -> Int {
        guard let text = values[key] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    func flag(_ key: String) throws(WebError) -> Bool {
        switch values[key] {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let text?: throw .badRequest("\(key) must be true or false, not '\(text)'")
        }
    }
}

/// A recording of the recordings folder opened for reading (it may still be being written, or its recorder may
/// have been killed: the reader opens both). Errors name the recording, never the server's path to it.
struct OpenedRecording {
    let name: String
    let reader: HDF5RecordingReader

    init(name: String, path: String) throws(WebError) {
        guard name.hasSuffix(".h5") else {
            throw .badRequest("\(name) is a CSV recording: only .h5 recordings can be browsed or exported by range")
        }
        do throws(RecordingError) { reader = try HDF5RecordingReader(path: path) } catch {
            throw Self.error(error, name: name, path: path)
        }
        self.name = name
    }

    /// The device `query` names (its serial, its group in the file, or its position from 0); the first by default.
    func device(_ query: String?) throws(WebError) -> Int {
        guard let query else { return 0 }
        guard let position = reader.devicePosition(named: query) else {
            throw .notFound("no device '\(query)' in \(name) (devices: \(reader.deviceNames))")
        }
        return position
    }

    /// Runs a read, turning a recording error into a 400 that names the recording.
    func read<T>(_ body: (HDF5RecordingReader) throws(RecordingError) -> T) throws(WebError) -> T {
        do throws(RecordingError) { return try body(reader) } catch {
            throw Self.error(error, name: name, path: reader.path)
        }
    }

    static func error(_ error: RecordingError, name: String, path: String) -> WebError {
        .badRequest(error.description.replacingOccurrences(of: path, with: name))
    }
}
