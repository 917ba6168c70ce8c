import Acquisition
import HTTPTypes
import Calibration
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Ledger
import Logging
import NIOCore

/// Everything `mosquito serve` serves: the open devices, the ledger, the recordings folder, the calibration
/// history and the tokens. Builds the Hummingbird application; owns no threads of its own.
public final class WebServer: Sendable {
    public typealias Context = WebRequestContext

    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// Reads need a token too (always so when bound beyond loopback).
        public var requireTokensForReads: Bool
        /// The secret an archive presents to back-fill rows (`--archive-token-file`); nil: only the tokens file's.
        public var archiveToken: String?
        public init(host: String = "127.0.0.1", port: Int = 8080, requireTokensForReads: Bool = false, archiveToken: String? = nil) {
            self.host = host
            self.port = port
            self.requireTokensForReads = requireTokensForReads
            self.archiveToken = archiveToken
        }
    }

    public let configuration: Configuration
    public let devices: [StreamHub]
    public let ledger: Ledger?
    /// Re-read when the file changes, so revocation needs no restart.
    public let tokens: TokenFile
    public let recordings: RecordingsFolder
    public let calibrationHistory: CalibrationHistory

    public init(
        configuration: Configuration, devices: [StreamHub], ledger: Ledger?, tokens: TokenFile,
        recordings: RecordingsFolder, calibrationHistory: CalibrationHistory
    ) {
        self.configuration = configuration
        self.devices = devices
        self.ledger = ledger
        self.tokens = tokens
        self.recordings = recordings
        self.calibrationHistory = calibrationHistory
    }

    public func device(_ id: String) throws(WebError) -> StreamHub {
        guard let d = devices.first(where: { $0.id == id }) else { throw .notFound("no device '\(id)'") }
        return d
    }

    public func requireLedger() throws(WebError) -> Ledger {
        guard let ledger else { throw .unavailable("this server has no ledger (start it with --ledger)") }
        return ledger
    }

    // MARK: Access

    /// The principal behind the request's bearer token, or 401.
    public func authenticate(_ request: Request) throws(WebError) -> Principal {
        try authenticatedToken(request).principal
    }

    /// The request's bearer token and whose it is, or 401.
    func authenticatedToken(_ request: Request) throws(WebError) -> (token: String, principal: Principal) {
        guard let header = request.headers[.authorization] else {
            throw .unauthorized("this needs a bearer token (Authorization: Bearer …)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .unauthorized("the Authorization header must be 'Bearer <token>'")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard let principal = tokens.principal(for: token) else { throw .unauthorized("unknown token") }
        return (token, principal)
    }

    /// 401 unless the bearer token is the archive's secret or one of the tokens file.
    func authenticateArchive(_ request: Request) throws(WebError) {
        if let secret = configuration.archiveToken, let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer",
                TokenStore.constantTimeEqual(TokenStore.digest(String(parts[1]).trimmingCharacters(in: .whitespaces)), TokenStore.digest(secret))
            {
                return
            }
        }
        _ = try authenticate(request)
    }

    /// 401 without a valid token, 403 when its role may not do `action`.
    @discardableResult
    public func authorize(_ request: Request, _ action: Action) throws(WebError) -> Principal {
        let principal = try authenticate(request)
        guard action.allowedRoles.contains(principal.role) else {
            let roles = action.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ")
            throw .forbidden("role '\(principal.role.rawValue)' may not \(action.rawValue) (needs \(roles))")
        }
        return principal
    }

    // MARK: Application

    /// Every route, each with its ``Access`` (``Routes``), behind the one-spelling check (``CanonicalPath``).
    public func makeRouter() -> Router<Context> { makeRouters().http }

    /// The HTTP routes, and the WebSocket routes alone for checking handshakes.
    func makeRouters() -> (http: Router<Context>, webSocket: Router<Context>) {
        let routers = (http: Router(context: Context.self), webSocket: Router(context: Context.self))
        // Added first, so it runs before every route and for paths that reach none.
        for router in [routers.http, routers.webSocket] { router.add(middleware: CanonicalPathMiddleware<Context>()) }
        let routes = Routes(router: routers.http, webSocketRouter: routers.webSocket, server: self)
        addDeviceRoutes(to: routes)
        addRecordingRoutes(to: routes)
        addRecordingViewRoutes(to: routes)
        addRecordingRowsRoutes(to: routes)
        addCalibrationRoutes(to: routes)
        addLedgerRoutes(to: routes)
        addStreamRoutes(to: routes)
        addSessionRoutes(to: routes)
        addPageRoutes(to: routes)
        return routers
    }

    /// HTTP/1.1, with WebSocket handshakes checked against the stream routes alone; a refused handshake gets the
    /// route's own answer (``RefusedUpgrades``) rather than Hummingbird's bare 400.
    public func makeApplication(
        logger: Logger = Logger(label: "mosquito.web"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let routers = makeRouters()
        let refusals = RefusedUpgrades()
        return Application(
            router: routers.http,
            server: .http1WebSocketUpgrade(
                webSocketRouter: UpgradeCheck(router: routers.webSocket, refusals: refusals),
                configuration: .init(http1: .init(additionalChannelHandlers: [RefusedUpgradeWriter(refusals: refusals)]))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mosquito"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Closes recordings cleanly and stops every device: the last thing a graceful shutdown does.
    public func shutdownDevices() {
        for d in devices { d.shutdown() }
    }

    /// Ends recordings that reached their duration (their files are closed as soon as they are complete).
    public func finishCompletedRecordings() {
        for d in devices where d.recordingIsDone { _ = try? d.stopRecording() }
    }
}
