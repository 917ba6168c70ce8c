import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Keeps recordings honest while the server runs, and on shutdown closes them and stops the devices.
/// Registered before the HTTP server so the group stops it last: no request can reach a closed device.
struct DeviceService: Service {
    let server: WebServer

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let server = self.server
            await offloaded { server.finishCompletedRecordings() }
            try? await Task.sleep(for: .milliseconds(250))
        }
        let server = self.server
        await offloaded { server.shutdownDevices() }
    }
}

extension WebServer {
    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: the HTTP server stops accepting, open
    /// recordings are finished and closed, devices are stopped and their links closed.
    public func runUntilSignalled(logLevel: Logger.Level = .warning, onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "mosquito.web")
        logger.logLevel = logLevel
        let app = makeApplication(logger: logger, onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) })
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: DeviceService(server: self)), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
