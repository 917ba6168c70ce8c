/// What a token holder is to the network. Roles are not a ladder: a custodian records sales but does not
/// drive instruments, so each action lists the roles that may do it.
public enum Role: String, Sendable, Codable, CaseIterable {
    case viewer, `operator`, technician, custodian, steward
}

/// Every state-changing thing the API can do, with who may do it.
public enum Action: String, Sendable, CaseIterable {
    case controlDevice
    case record
    case logContribution
    case recordSale
    case distribute
    case manageNetwork

    public var allowedRoles: Set<Role> {
        switch self {
        case .controlDevice, .record: [.operator, .technician, .steward]
        // Anyone logs their own work; the steward may log for others (checked per request).
        case .logContribution: Set(Role.allCases)
        case .recordSale: [.custodian]
        case .distribute: [.custodian, .steward]
        case .manageNetwork: [.steward]
        }
    }
}

/// Who a request is from, once its bearer token checked out.
public struct Principal: Sendable, Equatable {
    public var agent: String
    public var role: Role
    public init(agent: String, role: Role) {
        self.agent = agent
        self.role = role
    }
}
