import NIOCore
import NIOPosix
import Synchronization

/// The process's answer on the discovery port (16571): one socket per address family, bound with SO_REUSEADDR
/// (so other LSL programs on this host bind it too), in the multicast groups of the configured scope on every
/// interface, receiving broadcasts and unicast (127.0.0.1) as well. Every outlet of the process registers its
/// info here: a query is parsed once and answered for each stream it matches, from the same socket, as liblsl's
/// responders do. One socket per process rather than per outlet, because the kernel hands a unicast datagram to
/// only one of several sockets sharing a port: per-outlet sockets would leave all but one outlet unfound.
final class LSLDiscoveryResponder: Sendable {
    let key: LSLDiscoveryKey
    private let channels: [Channel]
    private let members = Mutex<[ObjectIdentifier: LSLPublishedInfo]>([:])
    let log: LSLLog

    private init(key: LSLDiscoveryKey, channels: [Channel], log: LSLLog) {
        self.key = key
        self.channels = channels
        self.log = log
    }

    func add(_ info: LSLPublishedInfo) { members.withLock { $0[ObjectIdentifier(info)] = info } }
    func remove(_ info: LSLPublishedInfo) { members.withLock { $0[ObjectIdentifier(info)] = nil } }

    func close() async {
        for c in channels { try? await c.close() }
    }

    /// Answers a query: one reply datagram per matching stream. Warnings go to the log of the outlet that opened
    /// the responder (the first of the process with this configuration).
    func answer(_ query: String, queryID: String) -> [String] {
        let streams = members.withLock { Array($0.values) }
        guard !streams.isEmpty else { return [] }
        let compiled: LSLQuery
        do {
            compiled = try LSLQuery(query)
        } catch {
            log.warning("query \"\(query)\" is outside the supported XPath subset (\(error)); it matches no stream")
            return []
        }
        return streams.filter { $0.matches(compiled, log: log) }.map {
            LSLDatagramRequest.shortinfoReply(queryID: queryID, shortinfo: $0.shortinfo)
        }
    }

    static func open(key: LSLDiscoveryKey, group: EventLoopGroup, log: LSLLog) async -> LSLDiscoveryResponder {
        let box = ResponderBox()
        var channels: [Channel] = []
        let devices = (try? System.enumerateDevices()) ?? []
        for v6 in [false, true] where v6 ? key.ipv6 : key.ipv4 {
            let groups = key.addresses.compactMap { try? SocketAddress(ipAddress: $0, port: key.port) }
                .filter { ($0.protocol == .inet6) == v6 }
            guard !groups.isEmpty else { continue }
            var b = DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LSLDiscoveryHandler(box: box)) }
                }
            if v6 { b = b.channelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1) }
            guard let channel = try? await b.bind(host: v6 ? "::" : "0.0.0.0", port: key.port).get() else {
                if !v6 {
                    log.warning("cannot bind the discovery port \(key.port) (a program holds it without sharing it?); this host's streams can be found only on their service ports (KnownPeers)")
                }
                continue
            }
            channels.append(channel)
            await join(groups.filter(\.isMulticast), on: devices, v6: v6, channel: channel, log: log)
        }
        let responder = LSLDiscoveryResponder(key: key, channels: channels, log: log)
        box.responder.withLock { $0 = responder }
        return responder
    }

    /// Joins each group on every interface of the family; a group joined nowhere is said once.
    private static func join(_ groups: [SocketAddress], on devices: [NIONetworkDevice], v6: Bool, channel: Channel, log: LSLLog) async {
        guard let multicast = channel as? MulticastChannel else { return }
        var seen = Set<String>()
        let usable = devices.filter { d in
            guard d.multicastSupported, let a = d.address, (a.protocol == .inet6) == v6 else { return false }
            return seen.insert(d.name).inserted
        }
        for g in groups {
            var joined = false
            for d in usable where (try? await multicast.joinGroup(g, device: d).get()) != nil { joined = true }
            if !joined {
                log.warning("could not join multicast group \(g.ipAddress ?? "?") on any interface; streams are found through the other discovery addresses")
            }
        }
    }
}
