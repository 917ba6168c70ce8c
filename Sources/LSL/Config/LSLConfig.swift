/// The settings of `lsl_api.cfg` an outlet and a resolver use (liblsl api_config), with liblsl's defaults.
public struct LSLConfig: Sendable, Equatable {
    public enum IPv6Mode: String, Sendable, Equatable {
        case disable, allow, force
    }

    /// How far discovery reaches: each scope adds multicast groups and raises the TTL.
    public enum ResolveScope: String, Sendable, Equatable, CaseIterable, Comparable {
        case machine, link, site, organization, global

        public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    public var multicastPort = 16571
    public var basePort = 16572
    public var portRange = 32
    public var ipv6 = IPv6Mode.allow
    public var resolveScope = ResolveScope.site
    /// The discovery addresses for the scope (or AddressesOverride): unicast, broadcast and multicast, v4 and v6.
    public var discoveryAddresses: [String]
    public var multicastTTL: Int
    public var sessionID = "default"
    /// Hosts resolvers query by unicast across the port range (for networks that drop multicast).
    public var knownPeers: [String] = []
    /// The file these settings came from; nil for the defaults.
    public var file: String?

    public var allowsIPv4: Bool { ipv6 != .force }
    public var allowsIPv6: Bool { ipv6 != .disable }
    public var ports: ClosedRange<Int> { basePort...(basePort + portRange - 1) }

    public init() {
        (discoveryAddresses, multicastTTL) = Self.addresses(for: .site, groups: .init())
    }

    /// liblsl's address lists, by scope; each can be replaced in [multicast] (MachineAddresses, LinkAddresses,
    /// SiteAddresses, OrganizationAddresses, GlobalAddresses, IPv6MulticastGroup).
    struct Groups {
        var machine = ["127.0.0.1"]
        var link = ["255.255.255.255", "224.0.0.1", "224.0.0.183"]
        var site = ["239.255.172.215"]
        var organization: [String] = []
        var global: [String] = []
        var ipv6Group = "113D:6FDD:2C17:A643:FFE2:1BD1:3CD2"
    }

    static func addresses(for scope: ResolveScope, groups g: Groups) -> ([String], Int) {
        var out = g.machine
        var ttl = 0
        let wider: [(ResolveScope, [String], String, Int)] = [
            (.link, g.link, "FF02", 1), (.site, g.site, "FF05", 24),
            (.organization, g.organization, "FF08", 32), (.global, g.global, "FF0E", 255),
        ]
        for (s, v4, v6Prefix, scopeTTL) in wider where scope >= s {
            out += v4
            out.append(v6Prefix + ":" + g.ipv6Group)
            ttl = scopeTTL
        }
        return (out, ttl)
    }
}
