// MongoDB-wire stand-in for machines without a container runtime (see docs/infrastructure.md).
// Run with Java's single-file source launcher:
//   java -Xmx512m -cp '<jars>/*' MongoStandIn.java --port 0 --backend memory|h2 [--file path]
// Prints "LISTENING <port>" once bound, so the caller can health-check and connect.
// SIGTERM closes the backend cleanly (an H2 file killed with -9 can be corrupted).

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

public class MongoStandIn {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "0"));
        String kind = opts.getOrDefault("backend", "memory");

        MongoBackend backend;
        switch (kind) {
            case "memory":
                backend = new MemoryBackend();
                break;
            case "h2":
                String file = opts.get("file");
                if (file == null) {
                    System.err.println("--backend h2 needs --file <path>");
                    System.exit(2);
                    return;
                }
                backend = new H2Backend(file);
                break;
            default:
                System.err.println("unknown --backend " + kind + " (memory | h2)");
                System.exit(2);
                return;
        }

        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        InetSocketAddress bound = server.getLocalAddress();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "stand-in-shutdown"));
        System.out.println("LISTENING " + bound.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
