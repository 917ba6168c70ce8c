import HTTPTypes
import Acquisition
import Foundation
import Hummingbird
import Recording
import Signal

struct StartRecordingBody: Codable {
    var device: String
    /// Plain file name ending in .h5 or .csv; default `<serial>-<UTC time>.h5`.
    var name: String?
    var rateHz: UInt32?
    /// nil records until stopped.
    var durationSeconds: Double?
}

struct StopRecordingBody: Codable { var device: String }

struct RecordingStarted: Codable {
    var device: String
    var name: String
    var status: StreamHub.Status
}

/// What a stopped recording holds, in brief (the file itself says everything: GET …/summary).
struct RecordingStopped: Codable {
    var device: String
    var name: String
    var elapsedSeconds: Double
    var samplesReceived: UInt64
    var samplesWritten: UInt64
    var samplesLost: UInt64
    var crcErrors: UInt64
    var recordingError: String?
}

extension RecordingStopped {
    /// Counts summed across devices, each of which may be up to 2^64 - 1: saturating, never trapping.
    init(device: String, summary s: RunSummary) {
        self.init(
            device: device, name: (s.output as NSString).lastPathComponent, elapsedSeconds: s.elapsedSeconds,
            samplesReceived: s.devices.reduce(0) { $0.addingSaturating($1.samplesReceived) },
            samplesWritten: s.devices.reduce(0) { $0.addingSaturating($1.samplesWritten) }, samplesLost: s.samplesLost,
            crcErrors: s.devices.reduce(0) { $0.addingSaturating($1.crcErrors) }, recordingError: s.recordingError)
    }
}

extension WebServer {
    func addRecordingRoutes(to router: Routes) {
        router.get("/api/recordings", .read) { _, _ in try JSON.response(self.recordings.list()) }
        router.post("/api/recordings", .write(.record)) { request, _ in
            let body = try await JSON.decode(StartRecordingBody.self, from: request)
            let device = try self.device(body.device)
            if let d = body.durationSeconds, !(d > 0 && d <= 7 * 86_400) {
                throw WebError.badRequest("durationSeconds must be greater than 0 and at most a week")
            }
            let name = body.name ?? Self.defaultRecordingName(serial: device.id)
            let path = try self.recordings.newPath(name)
            let (rate, duration) = (body.rateHz, body.durationSeconds)
            try await offloaded { () throws(WebError) in try WebError.answering { () throws(StreamHub.Refusal) in try device.startRecording(path: path, rateHz: rate, durationSeconds: duration) } }
            return try JSON.response(RecordingStarted(device: device.id, name: name, status: device.status()), status: .created)
        }
        router.post("/api/recordings/stop", .write(.record)) { request, _ in
            let body = try await JSON.decode(StopRecordingBody.self, from: request)
            let device = try self.device(body.device)
            let s = try await offloaded { () throws(WebError) in try WebError.answering { () throws(StreamHub.Refusal) -> RunSummary in try device.stopRecording() } }
            return try JSON.response(RecordingStopped(device: device.id, summary: s))
        }
        router.get("/api/recordings/:name", .read) { _, context in
            let name = try context.parameters.require("name")
            let path = try self.recordings.existing(name)
            var response = Response(status: .ok, body: try await FileIO().loadFile(path: path, context: context))
            response.headers[.contentType] = name.hasSuffix(".csv") ? "text/csv" : "application/x-hdf5"
            response.headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            return response
        }
        router.get("/api/recordings/:name/summary", .read) { _, context in
            let name = try context.parameters.require("name")
            let path = try self.recordings.existing(name)
            guard name.hasSuffix(".h5") else { throw WebError.badRequest("only .h5 recordings can be inspected") }
            // Off the cooperative threads: reading takes the process-wide HDF5 lock a live recorder also needs, and
            // the recording view reads the summary while the file may be growing.
            let summary = try await offloaded { () throws(WebError) -> RecordingSummary in
                do throws(RecordingError) {
                    return try RecordingSummary(reading: try HDF5RecordingReader(path: path))
                } catch {
                    throw .badRequest("\(name): \(error.description)")
                }
            }
            return try JSON.response(summary)
        }
    }

    static func defaultRecordingName(serial: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let safeSerial = serial.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        return "\(String(safeSerial))-\(f.string(from: now)).h5"
    }
}
