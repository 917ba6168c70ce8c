import Acquisition
import Calibration
import Device
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import MosquitoModel
import NIOCore
import Simulator
import Testing
@testable import Web

/// A server over the in-process simulator and the demo ledger in a temporary folder, with one token per role.
struct WebFixture {
    static let simURI = "sim?channels=4&serial=MQ-WEB-1&seed=11"
    let folder: String
    let server: WebServer
    let tokens: [Role: String]
    let agents: [Role: String]
    /// Closes the ledger and removes it (a PostgreSQL ledger lives in a schema of its own, dropped here).
    var closeLedger: @Sendable () async -> Void = {}

    /// `foodNetwork`: the ledger holds the community kitchen (`ledger demo --network food`) instead of the Mosquito demo.
    /// `backend`: where the demo ledger lives (SQLite in the folder, or a PostgreSQL schema of its own).
    static func make(devices deviceURIs: [String] = [simURI], streamRate: UInt32? = 1000, demoLedger: Bool = true,
                     foodNetwork: Bool = false, backend: LedgerBackend = .sqlite) async throws -> WebFixture {
        let folder = NSTemporaryDirectory() + "mosquito-web-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var store = try TokenStore(path: folder + "/tokens.json")
        // Demo agents: ana and ben contribute, tactus is the custodian.
        let agents: [Role: String] = [.viewer: "ed", .operator: "ben", .technician: "chloe", .custodian: "tactus", .steward: "ana"]
        var tokens: [Role: String] = [:]
        for role in Role.allCases { tokens[role] = try store.create(agent: agents[role]!, role: role) }
        var devices: [StreamHub] = []
        for uri in deviceURIs {
            let session = try DeviceOpener.simulated.openSession(uri)
            let live = try StreamHub(uri: uri, session: session, softwareVersion: MosquitoVersion.string)
            if let streamRate { try live.startStreaming(rateHz: streamRate) }
            devices.append(live)
        }
        var ledger: Ledger?
        var closeLedger: @Sendable () async -> Void = {}
        if demoLedger {
            let (l, close) = try await backend.open(sqlitePath: folder + "/ledger.sqlite")
            do { _ = foodNetwork ? try await l.runFoodDemo() : try await l.runDemo() } catch { await close(); throw error }
            ledger = l
            closeLedger = close
        }
        let server = WebServer(
            configuration: .init(host: "127.0.0.1", port: 0), devices: devices, ledger: ledger, tokens: try TokenFile(path: store.path),
            recordings: try RecordingsFolder(directory: folder + "/recordings"),
            calibrationHistory: CalibrationHistory(path: folder + "/history.jsonl"))
        return WebFixture(folder: folder, server: server, tokens: tokens, agents: agents, closeLedger: closeLedger)
    }

    func tearDown() async {
        server.shutdownDevices()
        await closeLedger()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func headers(_ role: Role?) -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        if let role { h[.authorization] = "Bearer \(tokens[role]!)" }
        return h
    }
}

extension TestResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed]) }
    var errorCode: String? { (json as? [String: Any])?["error"] as? String }
}

func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
