import NIOCore
import NIOPosix

/// Finds a stream its ports: a TCP data port and a UDP service port, the same number as liblsl happens to pick,
/// the first free in the configured range, for IPv4 and (where the host has it) IPv6.
struct LSLPortBinder {
    let config: LSLConfig
    let loop: EventLoop
    let log: LSLLog
    let tcpHandler: @Sendable (Channel) throws -> Void
    let udpHandler: @Sendable (Channel) throws -> Void

    struct Bound {
        var channels: [Channel] = []
        var v4Port = 0
        var v6Port = 0
    }

    func bind() async throws(LSLError) -> Bound {
        var bound = Bound()
        if config.allowsIPv4 {
            guard let (port, channels) = await firstFreePair(host: "0.0.0.0", v6: false) else {
                throw LSLError.portRangeTaken(base: config.basePort, range: config.portRange)
            }
            bound.v4Port = port
            bound.channels += channels
        }
        if config.allowsIPv6 {
            if let (port, channels) = await firstFreePair(host: "::", v6: true) {
                bound.v6Port = port
                bound.channels += channels
            } else if !config.allowsIPv4 {
                for c in bound.channels { try? await c.close() }
                throw LSLError.portRangeTaken(base: config.basePort, range: config.portRange)
            } else {
                log.warning("no IPv6 data port in \(config.basePort)..\(config.ports.upperBound) (no IPv6 here, or the range is taken); streaming over IPv4 only")
            }
        }
        return bound
    }

    /// The first port of the range where both a TCP listener and a UDP socket can be bound.
    private func firstFreePair(host: String, v6: Bool) async -> (Int, [Channel])? {
        for port in config.ports {
            guard let tcp = try? await listen(host: host, port: port, v6: v6) else { continue }
            guard let udp = try? await datagram(host: host, port: port, v6: v6) else {
                try? await tcp.close()
                continue
            }
            return (port, [tcp, udp])
        }
        return nil
    }

    private func listen(host: String, port: Int, v6: Bool) async throws -> Channel {
        var b = ServerBootstrap(group: loop, childGroup: loop)
            // Lets a restarted outlet take its port back while old connections sit in TIME_WAIT; two listeners
            // still cannot share a port, so the range search stays exact.
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 64 * 1024))
            .childChannelInitializer { [tcpHandler] channel in
                channel.eventLoop.makeCompletedFuture { try tcpHandler(channel) }
            }
        if v6 { b = b.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1) }
        return try await b.bind(host: host, port: port).get()
    }

    private func datagram(host: String, port: Int, v6: Bool) async throws -> Channel {
        // No SO_REUSEADDR here: it would let a second outlet bind the same service port.
        var b = DatagramBootstrap(group: loop)
            .channelInitializer { [udpHandler] channel in channel.eventLoop.makeCompletedFuture { try udpHandler(channel) } }
        if v6 { b = b.channelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1) }
        return try await b.bind(host: host, port: port).get()
    }
}
