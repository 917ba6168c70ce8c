import NIOCore

/// This host's interfaces as discovery sees them: where a multicast query can be sent out of, and the addresses
/// other hosts would list in their KnownPeers.
public struct LSLNetworkInterface: Sendable, Equatable {
    public var name: String
    public var address: String
    public var isIPv6: Bool
    public var supportsMulticast: Bool

    public static func all() -> [LSLNetworkInterface] {
        guard let devices = try? System.enumerateDevices() else { return [] }
        return devices.compactMap { d in
            guard let a = d.address, let ip = a.ipAddress else { return nil }
            return LSLNetworkInterface(name: d.name, address: ip, isIPv6: a.protocol == .inet6, supportsMulticast: d.multicastSupported)
        }
    }

    public var isLoopback: Bool { address == "127.0.0.1" || address == "::1" }
}

extension LSLResolvePath {
    /// Every path `mosquito lsl doctor` tries on the discovery port: loopback (v4, v6), broadcast, and each IPv4
    /// multicast group of the scope out of each interface that carries multicast (IPv6 groups out of the
    /// kernel's default interface).
    public static func doctorDiscovery(_ config: LSLConfig, interfaces: [LSLNetworkInterface] = LSLNetworkInterface.all()) -> [LSLResolvePath] {
        let port = config.multicastPort
        var paths: [LSLResolvePath] = []
        if config.allowsIPv4 { paths.append(LSLResolvePath(.udp, host: "127.0.0.1", port: port, label: "loopback")) }
        if config.allowsIPv6 && interfaces.contains(where: { $0.address == "::1" }) {
            paths.append(LSLResolvePath(.udp, host: "::1", port: port, label: "loopback IPv6"))
        }
        for group in config.discoveryAddresses where group != "127.0.0.1" {
            if group == "255.255.255.255" {
                if config.allowsIPv4 { paths.append(LSLResolvePath(.udp, host: group, port: port, label: "broadcast")) }
            } else if group.contains(":") {
                if config.allowsIPv6 { paths.append(LSLResolvePath(.udp, host: group, port: port, label: "multicast \(group)")) }
            } else if config.allowsIPv4 {
                for i in interfaces where !i.isIPv6 && i.supportsMulticast {
                    paths.append(LSLResolvePath(.udp, host: group, port: port, interface: i.address, label: "multicast \(group) via \(i.name)"))
                }
            }
        }
        for peer in config.knownPeers {
            for p in config.ports { paths.append(LSLResolvePath(.udp, host: peer, port: p, label: "known peer \(peer)")) }
        }
        return paths
    }
}
