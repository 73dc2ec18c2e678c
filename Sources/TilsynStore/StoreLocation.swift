internal import Foundation

/// Where a store is: one SQLite file (the embedded default), or a database on a PostgreSQL server, shared by a team
/// of analysts or by many municipalities.
///
/// `--db` and `TILSYN_DB` take either a file path or a URL `postgres://user@host:port/dbname` (`postgresql://` too)
/// with libpq's `sslmode` parameter. The password never appears in the URL: command lines are visible to every user
/// of the machine and end up in shell histories and logs. It comes, as with `psql`, from `PGPASSWORD` or from the
/// password file (`PGPASSFILE`, else `~/.pgpass`).
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// The location `text` names: a `postgres://` or `postgresql://` URL, else a file path.
    /// `environment` stands in for the process's (tests).
    public init(_ text: String, environment: [String: String]? = nil) throws {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text, environment: environment))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The file path, or the URL without a password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL database to connect to, as `psql` finds it: host, port, role, database and TLS mode; the password
/// is looked up when connecting (``password(environment:)``), never kept in the URL.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, unverified (libpq's default).
        case prefer
        /// As `prefer` (libpq tries plain first; Tilsyn tries TLS first: the same result on every server).
        case allow
        /// TLS, the certificate unverified.
        case require
        /// TLS, the certificate verified against the trusted roots, not the host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate and the host name verified.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address, or a folder holding its Unix socket (a path starting with `/`).
    public var host: String
    /// The port (5432 by default).
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The database.
    public var database: String
    /// How the connection is protected.
    public var tls: TLSMode
    /// A file of trusted root certificates (`sslrootcert`), for `verify-ca` and `verify-full`; the system's otherwise.
    public var rootCertificate: String?

    /// Reads `postgres://user@host:port/dbname?sslmode=…`; missing parts come from `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGDATABASE` and `PGSSLMODE` as with `psql` (the role defaults to the login name, the database to the role).
    public init(url text: String, environment: [String: String] = [:]) throws {
        func invalid(_ why: String) -> StoreError {
            StoreError(.invalidLocation, "\(why); write it as postgres://user@host:5432/dbname")
        }
        guard let components = URLComponents(string: text) else { throw invalid("the database URL cannot be read") }
        if components.password != nil {
            throw StoreError(
                .invalidLocation,
                "the database URL holds a password; leave it out and set PGPASSWORD or write it in ~/.pgpass "
                    + "(hostname:port:database:username:password, mode 0600): a command line is visible to every "
                    + "user of the machine")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        let known: Set<String> = ["sslmode", "sslrootcert", "host", "port", "user", "dbname"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw invalid("the database URL's parameter '\(unknown)' is not one Tilsyn reads (sslmode, sslrootcert)")
        }
        let host = components.percentEncodedHost.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        self.host = host ?? parameters["host"] ?? environment["PGHOST"] ?? "localhost"
        if let port = components.port {
            self.port = port
        } else if let text = parameters["port"] ?? environment["PGPORT"] {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw invalid("the port '\(text)' is no port")
            }
            self.port = port
        } else {
            port = 5432
        }
        guard (1...65535).contains(port) else { throw invalid("the port \(port) is no port") }
        let login = environment["USER"] ?? environment["LOGNAME"] ?? "postgres"
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? parameters["user"] ?? environment["PGUSER"] ?? login
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? parameters["dbname"] ?? environment["PGDATABASE"] ?? user : path
        guard !database.contains("/") else { throw invalid("the database name '\(database)' holds a /") }
        let mode = parameters["sslmode"] ?? environment["PGSSLMODE"] ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: mode) else {
            throw invalid("sslmode '\(mode)' is none of " + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.tls = tls
        rootCertificate = parameters["sslrootcert"] ?? environment["PGSSLROOTCERT"]
    }

    /// `postgres://user@host:port/dbname`, without a password (there is none).
    public var description: String {
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "postgres://\(user)@\(host.hasPrefix("/") ? "" : shownHost):\(port)/\(database)"
            + (host.hasPrefix("/") ? "?host=\(host)" : "")
    }

    /// The password as `psql` finds it: `PGPASSWORD`, else the first line of the password file (`PGPASSFILE`, else
    /// `~/.pgpass`) whose host, port, database and role match (`*` matches anything); nil when there is none. A
    /// password file that others may read is ignored, as libpq ignores it.
    public func password(environment: [String: String]? = nil) -> String? {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let password = environment["PGPASSWORD"] { return password }
        let path = environment["PGPASSFILE"]
            ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        return PostgresLocation.password(in: text, host: host, port: port, database: database, user: user)
    }

    /// The password of the first line of a password file matching the connection.
    static func password(in text: String, host: String, port: Int, database: String, user: String) -> String? {
        // A Unix socket folder or localhost both match `localhost`, as in libpq.
        let hostName = host.hasPrefix("/") ? "localhost" : host
        let wanted = [hostName, String(port), database, user]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            let fields = passwordFileFields(line)
            guard fields.count >= 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) {
                return fields[4...].joined(separator: ":")
            }
        }
        return nil
    }

    /// A password file line's fields: split at `:`, with `\:` and `\\` standing for `:` and `\`.
    private static func passwordFileFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
