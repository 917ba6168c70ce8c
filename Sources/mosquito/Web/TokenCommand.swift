import ArgumentParser
import Foundation
import Web

extension ServeCommand {
    /// `mosquito serve token create|list|revoke`. `--tokens` belongs to `serve` (which parses it even after
    /// `token …`), so each subcommand reads it from there. A running server sees every change on its next request.
    struct TokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "Manage the server's bearer tokens.", discussion: tokensFile,
            subcommands: [Create.self, List.self, Revoke.self])

        /// `--tokens` is `serve`'s option, which a subcommand's help does not list: each says where it goes.
        static let tokensFile = "The tokens file is `serve`'s: `--tokens PATH` before or after the subcommand "
            + "(default ~/.config/mosquito/web-tokens.json)."

        static func open(_ serve: ServeCommand) throws -> TokenStore {
            do throws(WebError) { return try TokenStore(path: serve.tokens ?? TokenStore.defaultPath()) } catch {
                throw CLIError(error.description)
            }
        }

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a token for an agent; prints the secret once (only its SHA-256 is stored, mode 0600).",
                discussion: "The secret alone goes to stdout, so `TOKEN=$(mosquito serve token create …)` works; "
                    + "the token's id (for `token revoke`) goes to stderr. " + tokensFile)
            @Option(name: .long, help: "The agent the token speaks for.")
            var agent: String
            @Option(name: .long, help: "viewer, operator, technician, custodian or steward.")
            var role: String
            @ParentCommand var serve: ServeCommand

            func run() async throws {
                guard let r = Role(rawValue: role) else {
                    throw CLIError("unknown role '\(role)'; expected \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                var store = try TokenCommand.open(serve)
                do throws(WebError) {
                    let secret = try store.create(agent: agent, role: r)
                    print(secret)
                    let id = TokenStore.Entry.id(of: secret)
                    FileHandle.standardError.write(Data("token id \(id) (\(agent), \(r.rawValue)); revoke it with `mosquito serve token revoke \(id)`\n".utf8))
                } catch {
                    throw CLIError(error.description)
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List tokens: id, agent, role and creation time (never the secret, which is not stored).",
                discussion: tokensFile)
            @Flag(name: .long, help: "Print a JSON array of {id, agent, role, createdAt}.")
            var json = false
            @ParentCommand var serve: ServeCommand

            func run() async throws {
                let store = try TokenCommand.open(serve)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    let rows = store.entries.map { ListedToken(id: $0.id, agent: $0.agent, role: $0.role.rawValue, createdAt: $0.createdAt) }
                    print(String(decoding: try encoder.encode(rows), as: UTF8.self))
                    return
                }
                let agentWidth = max(5, store.entries.map(\.agent.count).max() ?? 0)
                func row(_ id: String, _ agent: String, _ role: String, _ created: String) -> String {
                    [id.padding(toLength: TokenStore.idLength, withPad: " ", startingAt: 0),
                     agent.padding(toLength: agentWidth, withPad: " ", startingAt: 0),
                     role.padding(toLength: 10, withPad: " ", startingAt: 0), created].joined(separator: "  ")
                }
                print(row("ID", "AGENT", "ROLE", "CREATED"))
                for e in store.entries { print(row(e.id, e.agent, e.role.rawValue, e.createdAt)) }
            }

            struct ListedToken: Encodable {
                var id, agent, role, createdAt: String
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke a token by the id `token list` shows; a running server refuses it from its next request on.",
                discussion: tokensFile)
            @Argument(help: "The token id (its first 12 hex digits; 6 or more are enough if they match one token).")
            var id: String
            @ParentCommand var serve: ServeCommand

            func run() async throws {
                var store = try TokenCommand.open(serve)
                do throws(WebError) {
                    let gone = try store.revoke(id: id)
                    print("revoked \(gone.id) (\(gone.agent), \(gone.role.rawValue))")
                } catch {
                    throw CLIError(error.description)
                }
            }
        }
    }
}
