import NIOCore

extension LSLConfig {
    /// Reads the settings from a file's text; anything liblsl would refuse, and any value it would silently
    /// misread, is an error naming the file and line.
    public init(parsing text: String, file: String) throws(LSLConfigError) {
        self.init()
        let ini = try LSLIniFile(text: text, file: file)
        self.file = file
        let ports = 1...65535
        multicastPort = try ini.integer("ports.MulticastPort", in: ports) ?? multicastPort
        basePort = try ini.integer("ports.BasePort", in: ports) ?? basePort
        portRange = try ini.integer("ports.PortRange", in: 1...65535) ?? portRange
        guard basePort + portRange - 1 <= 65535 else {
            throw ini.fail("ports.PortRange", "BasePort \(basePort) + PortRange \(portRange) runs past port 65535")
        }
        if let v = ini.string("ports.IPv6") {
            // liblsl accepts these spellings.
            switch v {
            case "disable", "disabled": ipv6 = .disable
            case "allow", "allowed": ipv6 = .allow
            case "force", "forced": ipv6 = .force
            default: throw ini.fail("ports.IPv6", "IPv6 = \(v): expected disable, allow or force")
            }
        }
        if let v = ini.string("multicast.ResolveScope") {
            guard let scope = ResolveScope(rawValue: v) else {
                throw ini.fail("multicast.ResolveScope", "ResolveScope = \(v): expected machine, link, site, organization or global")
            }
            resolveScope = scope
        }
        var groups = Groups()
        groups.machine = try ini.set("multicast.MachineAddresses") ?? groups.machine
        groups.link = try ini.set("multicast.LinkAddresses") ?? groups.link
        groups.site = try ini.set("multicast.SiteAddresses") ?? groups.site
        groups.organization = try ini.set("multicast.OrganizationAddresses") ?? groups.organization
        groups.global = try ini.set("multicast.GlobalAddresses") ?? groups.global
        groups.ipv6Group = ini.string("multicast.IPv6MulticastGroup") ?? groups.ipv6Group
        (discoveryAddresses, multicastTTL) = Self.addresses(for: resolveScope, groups: groups)
        if let override = try ini.set("multicast.AddressesOverride"), !override.isEmpty { discoveryAddresses = override }
        multicastTTL = try ini.integer("multicast.TTLOverride", in: 0...255) ?? multicastTTL
        for address in discoveryAddresses where (try? SocketAddress(ipAddress: address, port: 0)) == nil {
            let key = ini.string("multicast.AddressesOverride") != nil ? "multicast.AddressesOverride" : "multicast.ResolveScope"
            throw ini.fail(key, "\(address) is not an IP address")
        }
        sessionID = ini.string("lab.SessionID") ?? sessionID
        knownPeers = try ini.set("lab.KnownPeers") ?? knownPeers
    }
}
