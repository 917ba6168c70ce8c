import HTTPTypes
import Calibration
import Foundation
import Hummingbird

/// One line of a unit's calibration history, in the terms the device page charts: how far off the channel
/// was when it came in (drift) and how far after adjustment.
struct CalibrationHistoryItem: Codable {
    var id: String
    var kind: HistoryEntry.Kind
    var channel: Int
    var unit: String?
    var startedAt: UInt64
    var finishedAt: UInt64
    var technician: String
    var method: String
    var maxAsFoundError: Double?
    var maxAsLeftError: Double?
    var maxVerificationError: Double?
    var expandedUncertainty: Double?
    var coefficients: [Double]?
    var certificateURL: String?

    init(_ e: HistoryEntry) {
        id = e.id
        kind = e.kind
        channel = Int(e.channel)
        unit = e.calibration?.unit ?? e.verification?.unit
        startedAt = e.startedAt
        finishedAt = e.finishedAt
        technician = e.technician
        method = e.method
        maxAsFoundError = e.calibration?.maxAsFoundError
        maxAsLeftError = e.calibration?.maxAsLeftError
        maxVerificationError = e.verification?.maxError
        expandedUncertainty = e.calibration?.expandedUncertainty
        coefficients = e.written?.coefficients
        certificateURL = e.kind == .calibration ? "/api/calibration/certificates/\(e.id)" : nil
    }
}

extension WebServer {
    func addCalibrationRoutes(to router: Routes) {
        router.get("/api/calibration/:serial/history", .read) { _, context in
            let serial = try context.parameters.require("serial")
            let entries: [HistoryEntry]
            do throws(CalibrationError) { entries = try self.calibrationHistory.entries(serial: serial) } catch {
                throw WebError.internalError(error.description)
            }
            return try JSON.response(entries.map(CalibrationHistoryItem.init))
        }
        router.get("/api/calibration/certificates/:id", .read) { _, context in
            let id = try context.parameters.require("id")
            let entries: [HistoryEntry]
            do throws(CalibrationError) { entries = try self.calibrationHistory.entries() } catch {
                throw WebError.internalError(error.description)
            }
            guard let entry = entries.first(where: { $0.id == id }), entry.kind == .calibration else {
                throw WebError.notFound("no calibration certificate '\(id)'")
            }
            let html: String
            do throws(CalibrationError) { html = try Certificate.html(entry) } catch {
                throw WebError.internalError(error.description)
            }
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: html)))
            response.headers[.contentType] = "text/html; charset=utf-8"
            return response
        }
    }
}
