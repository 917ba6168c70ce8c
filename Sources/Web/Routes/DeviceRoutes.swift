import Acquisition
import HTTPTypes
import Foundation
import Hummingbird
import MWP

/// What the API says about an instrument: who it is, each channel with its calibration, and what it is doing.
struct DeviceInfo: Codable, Sendable {
    struct Channel: Codable, Sendable {
        var index: Int
        var name: String
        var kind: String
        var unit: String
        var adcBits: Int
        var rawMin: Int32
        var rawMax: Int32
        /// value = c0 + c1·r + c2·r² + c3·r³; nil when the instrument would not say.
        var calibration: CalibrationRecord?
    }
    var id: String
    var uri: String
    var serial: String
    var design: String
    var hardwareRevision: Int
    var firmware: String
    var maxRateHz: UInt32
    var channels: [Channel]
    var status: StreamHub.Status

    init(_ d: StreamHub) {
        id = d.id
        uri = d.uri
        serial = d.identity.serial
        design = d.identity.design
        hardwareRevision = Int(d.identity.hardwareRevision)
        firmware = d.identity.firmware.description
        maxRateHz = d.identity.maxRateHz
        channels = d.identity.channels.enumerated().map { i, c in
            Channel(index: i, name: c.name, kind: c.kind.description, unit: c.unit, adcBits: Int(c.adcBits),
                    rawMin: c.rawMin, rawMax: c.rawMax, calibration: d.calibrations[i])
        }
        status = d.status()
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
