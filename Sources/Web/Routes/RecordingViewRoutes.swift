import Foundation
import HTTPTypes
import Hummingbird
import MosquitoModel
import NIOCore
import Recording

/// Which recording and device an envelope (`GET /api/recordings/{name}/range`) is of, and its channels; the
/// response is this beside the ``RangeEnvelope``'s fields, in one JSON object (``SideBySide``).
struct RecordingRange: Encodable, Sendable {
    struct Channel: Codable, Sendable { var name: String; var kind: String; var unit: String }
    var recording: String
    var device: String
    var group: String
    var rateHz: Double
    var channels: [Channel]
    /// False while the recording is still being written, and for one whose recorder was killed.
    var closedCleanly: Bool
    var startTime: String
}

extension WebServer {
    /// Browsing recordings: the page, the envelope of any window (min/max per bucket, computed here from the
    /// file), and a window exported as CSV or HDF5. Every file read runs off the cooperative pool.
    func addRecordingViewRoutes(to router: Routes) {
        router.get("/recording/:name", .open) { _, _ in try WebResources.lanePage("recording.html", title: "Recording") }

        router.get("/api/recordings/:name/range", .read) { request, context in
            let name = try context.parameters.require("name")
            let query = try RecordingQuery(request, allowed: ["device", "from", "to", "points"])
            let (from, to) = try query.window()
            let points = try query.integer("points", in: 1...10_000, default: 1000)
            let path = try self.recordings.existing(name)
            let range = try await offloaded { () throws(WebError) in
                let file = try OpenedRecording(name: name, path: path)
                let device = try file.device(query["device"])
                let envelope = try file.read { (r) throws(RecordingError) in
                    try r.envelope(device: device, fromSeconds: from, toSeconds: to, points: points)
                }
                let recorded = file.reader.devices[device]
                let range = RecordingRange(
                    recording: name, device: recorded.device.identity.serial, group: recorded.group,
                    rateHz: recorded.device.configuration.rateHz,
                    channels: recorded.device.configuration.channels.map { .init(name: $0.name, kind: $0.kind.name, unit: $0.unit) },
                    closedCleanly: file.reader.metadata.stopTime != nil, startTime: file.reader.metadata.startTime)
                return SideBySide(range, envelope)
            }
            return try JSON.response(range)
        }

        router.get("/api/recordings/:name/export", .read) { request, context in
            let name = try context.parameters.require("name")
            let query = try RecordingQuery(request, allowed: ["device", "from", "to", "format", "channels", "raw"])
            let (from, to) = try query.window()
            let format = query["format"] ?? "csv"
            guard format == "csv" || format == "h5" else { throw WebError.badRequest("format must be csv or h5, not '\(format)'") }
            let channels = query["channels"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let raw = try query.flag("raw")
            if format == "h5", channels != nil || raw {
                throw WebError.badRequest("an HDF5 export holds every channel, raw and calibrated: channels and raw are for CSV")
            }
            let path = try self.recordings.existing(name)
            let base = String(name.dropLast(3)) + (from == nil && to == nil ? "" : "_\(from ?? 0)-\(to.map { "\($0)" } ?? "end")s")
            if format == "csv" {
                let pieces = try await offloaded { () throws(WebError) in
                    let file = try OpenedRecording(name: name, path: path)
                    let device = try file.device(query["device"])
                    let selection = CSVExportSelection(device: device, channels: channels, fromSeconds: from, toSeconds: to, rawCounts: raw)
                    return CSVPieces(try file.read { (r) throws(RecordingError) in try CSVExportPieces(reader: r, selection: selection) }, file)
                }
                return Self.download(name: base + ".csv", type: "text/csv; charset=utf-8", body: ResponseBody { writer in
                    while let text = try await offloaded({ () throws(WebError) in try pieces.next() }) {
                        try await writer.write(ByteBuffer(string: text))
                    }
                    try await writer.finish(nil)
                })
            }
            let temporary = NSTemporaryDirectory() + "mosquito-export-\(UUID().uuidString).h5"
            let provenance = SliceProvenance(
                softwareVersion: MosquitoVersion.string, commandLine: ["GET", request.uri.description], sourceName: name)
            let spool = try await offloaded { () throws(WebError) in
                defer { try? FileManager.default.removeItem(atPath: temporary) }
                let file = try OpenedRecording(name: name, path: path)
                let device = try file.device(query["device"])
                try file.read { (r) throws(RecordingError) in
                    let rows = try r.window(device: device, fromSeconds: from, toSeconds: to)?.rows ?? 0 ..< 0
                    try exportHDF5(from: r, device: device, rows: rows, toPath: temporary, provenance: provenance)
                }
                // Opened before the name is removed: the data lives as long as the descriptor, and nothing is left
                // behind however the response ends.
                guard let handle = FileHandle(forReadingAtPath: temporary) else {
                    throw WebError.internalError("the export of \(name) vanished before it was sent")
                }
                return SpooledFile(handle)
            }
            return Self.download(name: base + ".h5", type: "application/x-hdf5", body: ResponseBody(contentLength: spool.size) { writer in
                while let chunk = try await offloaded({ () throws(WebError) in spool.next() }) {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
        }
    }

    static func download(name: String, type: String, body: ResponseBody) -> Response {
        var response = Response(status: .ok, body: body)
        response.headers[.contentType] = type
        response.headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return response
    }
}

/// The pieces of one CSV export and the recording they are read from, handed from one offloaded read to the
/// next: one request's task uses it, one piece at a time, never two threads at once.
final class CSVPieces: @unchecked Sendable {
    private let pieces: CSVExportPieces
    private let file: OpenedRecording

    init(_ pieces: CSVExportPieces, _ file: OpenedRecording) {
        self.pieces = pieces
        self.file = file
    }

    func next() throws(WebError) -> String? { try file.read { (_) throws(RecordingError) in try pieces.next() } }
}

/// An export written to a temporary file and unlinked at once, sent in chunks: like ``CSVPieces``, used by one
/// request's task one chunk at a time.
final class SpooledFile: @unchecked Sendable {
    private let handle: FileHandle
    let size: Int

    init(_ handle: FileHandle) {
        self.handle = handle
        size = Int((try? handle.seekToEnd()) ?? 0)
        try? handle.seek(toOffset: 0)
    }

    deinit { try? handle.close() }

    func next() -> Data? {
        guard let data = try? handle.read(upToCount: 1 << 16), !data.isEmpty else { return nil }
        return data
    }
}
