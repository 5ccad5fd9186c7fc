// MongoDB-wire stand-in for machines without a container runtime (see docs/infrastructure.md).
// Run with Java's single-file source launcher:
//   java -Xmx512m -cp '<jars>/*' MongoStandIn.java --port 0 --backend memory|h2 [--file path] [--cache-mb 128]
// Prints "LISTENING <port>" once bound, so the caller can health-check and connect.
// SIGTERM closes the backend cleanly (an H2 file killed with -9 can be corrupted).
//
// One patch over mongo-java-server 1.47.0 (issue 14 pt 2): it uses an index only when the
// filter's keys are exactly the index's keys, so a version-guarded update `{_id, version}`
// scanned the whole collection (~55 updates/s at 100 k documents). Here every collection
// (memory and H2 backends alike) first narrows any filter holding a plain equality on all of
// a unique index's keys (in practice `_id`) to that index's one position, then applies the
// whole filter to it as before: the same documents match, found by a look-up, not a scan.

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

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
                backend = new IndexedMemoryBackend();
                break;
            case "h2":
                String file = opts.get("file");
                if (file == null) {
                    System.err.println("--backend h2 needs --file <path>");
                    System.exit(2);
                    return;
                }
                backend = new IndexedH2Backend(file, Integer.parseInt(opts.getOrDefault("cache-mb", "128")));
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

/** Which index positions can answer a filter that holds more keys than the index has. */
final class IndexNarrowing {
    private IndexNarrowing() {
    }

    /**
     * The positions of a unique index whose every key the filter pins with a plain value (no
     * operator, array, regex or null, whose matching rules differ), or null when none applies
     * or the library's own exact-keys match will handle it. A superset of the matches: the
     * caller still applies the whole filter (top-level filter keys are a conjunction).
     */
    static <P> Iterable<P> positions(List<Index<P>> indexes, Document query) {
        if (query == null || query.isEmpty()) return null;
        for (Index<P> index : indexes) {
            if (index.canHandle(query)) return null;
        }
        for (Index<P> index : indexes) {
            if (!index.isUnique()) continue;
            Document pinned = pinnedKeys(index, query);
            if (pinned != null && index.canHandle(pinned)) return index.getPositions(pinned);
        }
        return null;
    }

    private static Document pinnedKeys(Index<?> index, Document query) {
        Document pinned = new Document();
        for (IndexKey key : index.getKeys()) {
            Object value = query.get(key.getKey());
            if (!isPlainValue(value)) return null;
            pinned.put(key.getKey(), value);
        }
        return pinned;
    }

    private static boolean isPlainValue(Object value) {
        return value != null && !(value instanceof Document) && !(value instanceof Collection)
            && !(value instanceof java.util.regex.Pattern) && !(value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression);
    }
}

class IndexedMemoryCollection extends MemoryCollection {
    IndexedMemoryCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
        super(database, name, options, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        Iterable<Integer> positions = IndexNarrowing.positions(getIndexes(), query);
        if (positions == null) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
        return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
    }
}

class IndexedMemoryDatabase extends MemoryDatabase {
    IndexedMemoryDatabase(String name, CursorRegistry cursors) {
        super(name, cursors);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
        return new IndexedMemoryCollection(this, name, options, cursorRegistry);
    }
}

class IndexedMemoryBackend extends MemoryBackend {
    @Override
    public MemoryDatabase openOrCreateDatabase(String name) {
        return new IndexedMemoryDatabase(name, getCursorRegistry());
    }
}

class IndexedH2Collection extends H2Collection {
    IndexedH2Collection(MongoDatabase database, String name, CollectionOptions options,
                        MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        Iterable<Object> positions = IndexNarrowing.positions(getIndexes(), query);
        if (positions == null) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
        return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
    }
}

/**
 * H2Database with the narrowing collection; the map names are the library's own (H2Database).
 * The super constructors open existing collections before a subclass field is set, so the one
 * MVStore of the process is shared through a static field set before them.
 */
class IndexedH2Database extends H2Database {
    private static volatile MVStore store;

    static MVStore share(MVStore opened) {
        store = opened;
        return opened;
    }

    IndexedH2Database(String name, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(name);
        MVMap<Object, Document> data = store.openMap("databases." + fullName);
        MVMap<String, Object> meta = store.openMap("meta." + fullName);
        return new IndexedH2Collection(this, name, options, data, meta, cursorRegistry);
    }
}

/**
 * The library's H2 backend over an MVStore opened as its own MVStore.open(file) does, with a
 * page cache of `cacheMb` (H2's default, 16 MB, is far smaller than 100 k stored meetings, so
 * look-ups by `_id` kept reading and decoding pages again as the collection grew).
 */
class IndexedH2Backend extends H2Backend {
    IndexedH2Backend(String file, int cacheMb) {
        super(IndexedH2Database.share(new MVStore.Builder().fileName(file).cacheSize(cacheMb).open()));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String name) {
        return new IndexedH2Database(name, getCursorRegistry());
    }
}
