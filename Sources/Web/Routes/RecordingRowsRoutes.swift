import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Recording

extension WebServer {
    /// Raw rows of a recording by sample index, for an archive back-filling what the broker lost
    /// (`GET /api/recordings/{name}/rows?from=INDEX&count=N`, docs/mqtt.md "Back-fill"). Always behind a token.
    func addRecordingRowsRoutes(to router: Routes) {
        router.get("/api/recordings/:name/rows", .archive) { request, context in
            let name = try context.parameters.require("name")
            let query = try RecordingQuery(request, allowed: ["device", "from", "count"])
            let from = try query.index("from", default: 0)
            let count = UInt64(try query.integer("count", in: 1...RecordingRows.maxCount, default: RecordingRows.maxCount))
            let path = try self.recordings.existing(name)
            let rows = try await offloaded { () throws(WebError) in
                let file = try OpenedRecording(name: name, path: path)
                let device = try file.device(query["device"])
                return try file.read { (r) throws(RecordingError) in
                    try RecordingRows(reader: r, device: device, indices: from ..< from.addingSaturating(count))
                }
            }
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: rows.payload)))
            response.headers[.contentType] = "application/vnd.mosquito.rows"
            if let last = rows.lastIndexOnDisk { response.headers[RecordingRows.lastIndexHeader] = "\(last)" }
            response.headers[RecordingRows.closedHeader] = rows.closed ? "true" : "false"
            return response
        }
    }
}

extension RecordingQuery {
    /// A sample index: a whole number from 0 to 2^64 - 1.
    func index(_ key: String, default fallback: UInt64) throws(WebError) -> UInt64 {
        guard let text = self[key] else { return fallback }
        guard let value = UInt64(text) else { throw .badRequest("\(key) must be a sample index (a whole number ≥ 0), not '\(text)'") }
        return value
    }
}

/// The rows of one device whose sample index lies in a range, as one payload in the framing of MQTT `data`
/// format 1 (docs/mqtt.md): meta_id and sequence zero, device time the file's microseconds × 1000. Indices the
/// file lacks inside the range are simply absent, as in a data message.
struct RecordingRows {
    static let maxCount = 100_000
    static let lastIndexHeader = HTTPField.Name("X-Mosquito-Last-Index")!
    static let closedHeader = HTTPField.Name("X-Mosquito-Closed")!

    let payload: [UInt8]
    /// The newest index on disk now: a recording still being written flushes about once a second, so a caller
    /// asking past it asks again later.
    let lastIndexOnDisk: UInt64?
    /// The recorder closed the file: nothing more will come.
    let closed: Bool

    init(reader: HDF5RecordingReader, device: Int, indices: Range<UInt64>) throws(RecordingError) {
        closed = reader.metadata.stopTime != nil
        let channels = reader.devices[device].device.configuration.channels.count
        let rows = try reader.sampleCount(device: device)
        func index(atRow row: UInt64) throws(RecordingError) -> UInt64 {
            try reader.readSamples(device: device, rows: row ..< row + 1).index[0]
        }
        lastIndexOnDisk = rows == 0 ? nil : try index(atRow: rows - 1)
        // Indices grow along the rows: the first row at or after the range, by bisection.
        var low: UInt64 = 0, high = rows
        while low < high {
            let middle = low + (high - low) / 2
            if try index(atRow: middle) < indices.lowerBound { low = middle + 1 } else { high = middle }
        }
        var out = Self.header(channels: channels)
        var frames: UInt32 = 0
        var row = low
        scan: while row < rows {
            let block = try reader.readSamples(device: device, rows: row ..< min(rows, row + 4096))
            for k in 0 ..< block.sampleCount {
                guard block.index[k] < indices.upperBound else { break scan }
                Self.put(block.index[k], &out)
                Self.put(block.deviceTimeUs[k] &* 1000, &out)
                Self.put(UInt64(bitPattern: block.hostTimeNs[k]), &out)
                for c in 0 ..< channels { Self.put(UInt32(bitPattern: block.raw[k * channels + c]), &out) }
                frames += 1
            }
            row += UInt64(block.sampleCount)
        }
        withUnsafeBytes(of: frames.littleEndian) { for i in 0 ..< 4 { out[4 + i] = $0[i] } }
        if frames > 0 { for i in 0 ..< 8 { out[24 + i] = out[32 + i] } }
        payload = out
    }

    /// Format 1's 32-byte header with no frames yet: format, channel count, frame count, meta_id, sequence, first index.
    private static func header(channels: Int) -> [UInt8] {
        var out: [UInt8] = []
        put(UInt16(1), &out)
        put(UInt16(channels), &out)
        out += [UInt8](repeating: 0, count: 28)
        return out
    }

    private static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
