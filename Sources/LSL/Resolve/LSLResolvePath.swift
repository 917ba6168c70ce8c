/// One way a resolver can reach outlets: a datagram to a discovery or service port (loopback, broadcast, a
/// multicast group out of one interface, a known peer), or a TCP connection to a data port.
public struct LSLResolvePath: Sendable, Equatable, CustomStringConvertible {
    public enum Transport: String, Sendable, Equatable { case udp, tcp }

    public var transport: Transport
    public var host: String
    public var port: Int
    /// For a multicast group: the IPv4 address of the interface to send it out of (nil: the kernel's choice).
    public var interface: String?
    /// What this path is, for a person: "loopback", "multicast 239.255.172.215 via eth0", "service port" …
    public var label: String

    public init(_ transport: Transport, host: String, port: Int, interface: String? = nil, label: String) {
        self.transport = transport
        self.host = host
        self.port = port
        self.interface = interface
        self.label = label
    }

    public var description: String {
        "\(label) (\(transport.rawValue) \(host.contains(":") ? "[\(host)]" : host):\(port)\(interface.map { " from \($0)" } ?? ""))"
    }

    /// The discovery paths liblsl's resolver uses for `config`: every address of the scope (loopback, broadcast,
    /// multicast groups) on the discovery port, and every known peer across the port range.
    public static func discovery(_ config: LSLConfig) -> [LSLResolvePath] {
        var paths: [LSLResolvePath] = []
        for address in config.discoveryAddresses {
            let v6 = address.contains(":")
            if v6 ? !config.allowsIPv6 : !config.allowsIPv4 { continue }
            let label = address == "127.0.0.1" ? "loopback" : address == "255.255.255.255" ? "broadcast" : "multicast \(address)"
            paths.append(LSLResolvePath(.udp, host: address, port: config.multicastPort, label: label))
        }
        for peer in config.knownPeers {
            for port in config.ports { paths.append(LSLResolvePath(.udp, host: peer, port: port, label: "known peer \(peer)")) }
        }
        return paths
    }
}
