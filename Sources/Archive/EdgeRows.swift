import Foundation
import Publish

/// Where an edge's own recording of a run can be read back: its `serve` API and the file's name, as its
/// retained `status` said when the run began (docs/mqtt.md "Back-fill").
struct EdgeSource: Codable, Sendable, Equatable {
    var api: String
    var recording: String
    var serial: String
}

/// One answer of `GET /api/recordings/{name}/rows`: the rows the edge has in the asked range, and whether
/// asking again later could bring more (the edge flushes its file about once a second).
struct EdgeRows {
    var rows: DataMessage
    var lastIndexOnDisk: UInt64?
    var closed: Bool

    /// Whether every index below `end` that the edge will ever have is on its disk now.
    func settles(_ end: UInt64) -> Bool { closed || (lastIndexOnDisk.map { $0 + 1 >= end } ?? false) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The edge's recording holds another stream than the run's: nothing of it may fill the run.
        var otherStream = false
    }

    /// Blocks for one request (at most `timeout`). Any failure (unreachable, 401, not found, a body that does not
    /// decode) is one readable reason.
    static func fetch(
        _ source: EdgeSource, from: UInt64, count: UInt64, token: String, timeout: Double = 10
    ) throws(Failure) -> EdgeRows {
        var parts = URLComponents(string: source.api.hasSuffix("/") ? String(source.api.dropLast()) : source.api)
        parts?.path += "/api/recordings/\(source.recording)/rows"
        parts?.queryItems = [
            URLQueryItem(name: "device", value: source.serial), URLQueryItem(name: "from", value: "\(from)"),
            URLQueryItem(name: "count", value: "\(count)"),
        ]
        guard let url = parts?.url else { throw Failure(description: "bad edge API URL '\(source.api)'") }
        let answer: EdgeHTTP.Response
        do throws(EdgeHTTP.Failure) {
            answer = try EdgeHTTP.get(url, headers: [("Authorization", "Bearer \(token)")], timeout: timeout)
        } catch {
            throw Failure(description: "\(url.host ?? source.api): \(error.reason)")
        }
        guard answer.status == 200 else {
            let why = (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["message"] as? String
            throw Failure(description: "\(url.absoluteString.split(separator: "?")[0]): HTTP \(answer.status)\(why.map { " (\($0))" } ?? "")")
        }
        let decoded = answer.body.withUnsafeBytes { p in Result { () throws(DataMessage.DecodeError) in try DataMessage(decoding: p) } }
        guard case .success(let rows) = decoded else {
            throw Failure(description: "the edge's rows do not decode: \(decoded)")
        }
        return EdgeRows(
            rows: rows, lastIndexOnDisk: answer.header("X-Mosquito-Last-Index").flatMap { UInt64($0) },
            closed: answer.header("X-Mosquito-Closed") == "true")
    }

    /// Asks again every quarter second until the answer is `done` or `deadline` passes (the edge flushes its file
    /// about once a second); the last answer either way.
    static func fetch(
        _ source: EdgeSource, from: UInt64, count: UInt64, token: String, timeout: Double, until deadline: Date,
        _ done: (EdgeRows) -> Bool
    ) throws(Failure) -> EdgeRows {
        var answer = try fetch(source, from: from, count: count, token: token, timeout: timeout)
        while !done(answer), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            answer = try fetch(source, from: from, count: count, token: token, timeout: timeout)
        }
        return answer
    }
}

/// A row the archive already has of a run (its index and device time): the edge's recording is this run's stream
/// only if it holds the same row. A hub restarts indices at 0 when a recording begins, so a recording named by a
/// status can share indices with the run before it while holding other samples (docs/mqtt.md "Back-fill").
struct StreamAnchor: Equatable {
    var index: UInt64
    var deviceTimeUs: UInt64
}

/// Throws unless the edge's recording holds `anchor` (waiting, up to `patience`, for the edge to flush it): the
/// evidence, from the run's own stream, that its rows may fill this run.
func confirmSameStream(
    _ anchor: StreamAnchor, in source: EdgeSource, token: String, patience: Double = 8, timeout: Double
) throws(EdgeRows.Failure) {
    let answer = try EdgeRows.fetch(
        source, from: anchor.index, count: 1, token: token, timeout: timeout, until: Date(timeIntervalSinceNow: patience)
    ) { $0.settles(anchor.index + 1) }
    let rows = answer.rows
    guard let k = rows.indices.firstIndex(of: anchor.index), rows.deviceTimesNs[k] / 1000 == anchor.deviceTimeUs else {
        throw EdgeRows.Failure(
            description: "\(source.recording) is not this run's stream: its row \(anchor.index) is not the one the archive has",
            otherStream: true)
    }
}

/// Fetches the indices `missing` from the edge, in pieces of at most 100 000, waiting (up to `patience`) for
/// rows the edge has recorded but not yet flushed. What comes back is what the edge has; an index it lacks
/// stays missing.
func backfill(
    _ missing: Range<UInt64>, from source: EdgeSource, token: String, patience: Double = 8, timeout: Double
) throws(EdgeRows.Failure) -> [DataMessage] {
    var out: [DataMessage] = []
    var start = missing.lowerBound
    let deadline = Date(timeIntervalSinceNow: patience)
    while start < missing.upperBound {
        let count = min(missing.upperBound - start, 100_000)
        let answer = try EdgeRows.fetch(source, from: start, count: count, token: token, timeout: timeout, until: deadline) {
            $0.settles(start + count)
        }
        guard answer.settles(start + count) else {
            throw EdgeRows.Failure(description: "the edge's file has not reached index \(start + count - 1) after \(Int(patience)) s")
        }
        if !answer.rows.indices.isEmpty { out.append(answer.rows) }
        start += count
    }
    return out
}

/// The rows of a finished recording from index `start` to its end: what the broker lost at the end of a run,
/// where no later index reveals the gap. Waits (up to `patience`) for the edge to close its file.
func backfillTail(
    from start: UInt64, of source: EdgeSource, token: String, patience: Double = 8, timeout: Double
) throws(EdgeRows.Failure) -> [DataMessage] {
    var out: [DataMessage] = []
    var next = start
    let deadline = Date(timeIntervalSinceNow: patience)
    while true {
        let answer = try EdgeRows.fetch(source, from: next, count: 100_000, token: token, timeout: timeout, until: deadline) {
            $0.closed
        }
        guard let last = answer.rows.indices.last else { return out }
        out.append(answer.rows)
        guard answer.closed, last < answer.lastIndexOnDisk ?? last else { return out }
        next = last + 1
    }
}
