import Acquisition
import Device
import HTTPTypes
import Foundation
import Hummingbird
import MWP

/// What the API says about an instrument: the description `mosquito info` gives (who it is, each channel with
/// its calibration), its id, and what it is doing, all at the top level of one JSON object.
struct DeviceInfo: Codable, Sendable {
    var id: String
    var instrument: InstrumentDescription
    var status: StreamHub.Status

    private enum CodingKeys: String, CodingKey { case id, status }

    init(_ d: StreamHub) {
        id = d.id
        instrument = InstrumentDescription(uri: d.uri, identity: d.identity, calibrations: d.calibrations)
        status = d.status()
    }

    init(from decoder: any Decoder) throws {
        instrument = try InstrumentDescription(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        status = try c.decode(StreamHub.Status.self, forKey: .status)
    }

    func encode(to encoder: any Encoder) throws {
        try instrument.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
    }
}

struct StartStreamingBody: Codable { var rateHz: UInt32? }

extension WebServer {
    func addDeviceRoutes(to router: Routes) {
        router.get("/api/devices", .read) { _, _ in try JSON.response(self.devices.map(DeviceInfo.init)) }
        router.get("/api/devices/:id", .read) { _, context in
            try JSON.response(DeviceInfo(try self.device(context.parameters.require("id"))))
        }
        router.get("/api/devices/:id/status", .read) { _, context in
            try JSON.response(try self.device(context.parameters.require("id")).status())
        }
        router.post("/api/devices/:id/start", .write(.controlDevice)) { request, context in
            let device = try self.device(context.parameters.require("id"))
            let body = try await JSON.decodeOptional(StartStreamingBody.self, from: request) ?? StartStreamingBody()
            let rate = body.rateHz
            try await offloaded { () throws(WebError) in try WebError.answering { () throws(StreamHub.Refusal) in try device.startStreaming(rateHz: rate) } }
            return try JSON.response(device.status())
        }
        router.post("/api/devices/:id/stop", .write(.controlDevice)) { request, context in
            let device = try self.device(context.parameters.require("id"))
            try await offloaded { () throws(WebError) in try WebError.answering { () throws(StreamHub.Refusal) in try device.stopStreaming() } }
            return try JSON.response(device.status())
        }
    }
}
