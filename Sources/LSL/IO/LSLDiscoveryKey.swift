/// Which discovery sockets a configuration asks for; outlets with the same key share one responder.
struct LSLDiscoveryKey: Hashable, Sendable {
    let port: Int
    let addresses: [String]
    let ipv4: Bool
    let ipv6: Bool

    init(_ config: LSLConfig) {
        port = config.multicastPort
        addresses = config.discoveryAddresses
        ipv4 = config.allowsIPv4
        ipv6 = config.allowsIPv6
    }
}
