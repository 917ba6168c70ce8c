import Foundation

extension LSLConfig {
    /// The files liblsl looks for, in order: `$LSLAPICFG`, `./lsl_api.cfg`, `~/lsl_api/lsl_api.cfg`,
    /// `/etc/lsl_api/lsl_api.cfg`. The first that exists is the configuration.
    public static func searchPath(environment: [String: String], currentDirectory: String) -> [String] {
        var paths: [String] = []
        if let explicit = environment["LSLAPICFG"], !explicit.isEmpty { paths.append(explicit) }
        paths.append((currentDirectory as NSString).appendingPathComponent("lsl_api.cfg"))
        if let home = environment["HOME"] ?? environment["USERPROFILE"], !home.isEmpty {
            paths.append((home as NSString).appendingPathComponent("lsl_api/lsl_api.cfg"))
        }
        paths.append("/etc/lsl_api/lsl_api.cfg")
        return paths
    }

    /// The configuration this process would use, as liblsl would find it; defaults when no file exists.
    /// `$LSLAPICFG` naming a file that cannot be read is an error (liblsl logs it and carries on with the next
    /// file, which silently publishes with settings the user did not choose).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(LSLConfigError) -> LSLConfig {
        let paths = searchPath(environment: environment, currentDirectory: currentDirectory)
        for (i, path) in paths.enumerated() {
            let explicit = i == 0 && environment["LSLAPICFG"].map { !$0.isEmpty } == true
            guard FileManager.default.fileExists(atPath: path) else {
                if explicit { throw LSLConfigError(file: path, line: 0, message: "LSLAPICFG names this file, which does not exist") }
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LSLConfigError(file: path, line: 0, message: "cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw LSLConfigError(file: path, line: 0, message: "is not UTF-8 text")
            }
            return try LSLConfig(parsing: text, file: path)
        }
        return LSLConfig()
    }
}
