import NIOCore

/// The process's discovery responders, one per discovery configuration, opened with the first outlet that needs
/// one and closed with the last. Membership is counted before any suspension, so an outlet joining while the last
/// one leaves never ends up on a closed responder.
actor LSLDiscoveryRegistry {
    static let shared = LSLDiscoveryRegistry()
    private var responders: [LSLDiscoveryKey: Task<LSLDiscoveryResponder, Never>] = [:]
    private var members: [LSLDiscoveryKey: Int] = [:]

    func join(_ info: LSLPublishedInfo, config: LSLConfig, group: EventLoopGroup, log: LSLLog) async -> LSLDiscoveryKey {
        let key = LSLDiscoveryKey(config)
        members[key, default: 0] += 1
        let task: Task<LSLDiscoveryResponder, Never>
        if let existing = responders[key] {
            task = existing
        } else {
            task = Task { await LSLDiscoveryResponder.open(key: key, group: group, log: log) }
            responders[key] = task
        }
        await task.value.add(info)
        return key
    }

    func leave(_ info: LSLPublishedInfo, key: LSLDiscoveryKey) async {
        guard let task = responders[key] else { return }
        let responder = await task.value
        responder.remove(info)
        members[key, default: 1] -= 1
        guard members[key] == 0 else { return }
        members[key] = nil
        responders[key] = nil
        await responder.close()
    }
}
