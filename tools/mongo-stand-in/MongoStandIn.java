// MongoDB-wire stand-in for machines without a container runtime (see docs/infrastructure.md).
// Run with Java's single-file source launcher:
//   java -Xmx512m -cp '<jars>/*' MongoStandIn.java --port 0 --backend memory|h2 [--file path]
//        [--cache-mb 128] [--commit-delay-ms 1000]
// Prints "LISTENING <port>" once bound, so the caller can health-check and connect.
// SIGTERM closes the backend cleanly (an H2 file killed with -9 can be corrupted).
//
// Patches over mongo-java-server 1.47.0 (issue 14; docs/mongo-stand-in.md):
// - Index narrowing: the library uses an index only when the filter's keys are exactly the
//   index's keys, so a version-guarded update `{_id, version}` scanned the whole collection
//   (~55 updates/s at 100 k documents). Here every collection (memory and H2 backends alike)
//   first narrows any filter holding a plain equality on all of a unique index's keys (in
//   practice `_id`) to that index's one position, then applies the whole filter to it as
//   before: the same documents match, found by a look-up, not a scan.
// - H2 storage format 2 (StandInStore): documents as BSON instead of Java serialization, held
//   as BSON bytes in H2's pages and cache too (so the cache counts exactly what it holds) and
//   decoded per read; unique-index keys compared by value.
// - --commit-delay-ms: H2's auto-commit delay (its default, 1 s): an acknowledged write reaches
//   the file within about that time; a clean stop (SIGTERM) writes everything.

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.h2.mvstore.type.StringDataType;

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
                backend = new IndexedH2Backend(file, Integer.parseInt(opts.getOrDefault("cache-mb", "128")),
                    Integer.parseInt(opts.getOrDefault("commit-delay-ms", "1000")));
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

/**
 * The library's H2 collection over a map of BSON bytes (StandInStore: the map holds each
 * document as the byte[] it is stored as, so H2's page cache counts exactly what it holds).
 * The library's H2Collection reads and writes its map's values as Documents in these methods
 * only (javap of 1.47.0: addDocumentInternal, getDocument, removeDocument,
 * streamAllDocumentsWithPosition, matchDocuments, handleUpdate; the rest use keys, size or
 * the meta map), so each is overridden here to encode on the way in and decode on the way
 * out; the super class gets the same map typed as it expects and never touches its values.
 *
 * Every Document handed out is therefore a fresh decode, never an instance H2 holds: the
 * library's update changes the document it found in place before putting it back
 * (AbstractMongoCollection.updateDocument), which must not reach a value H2 may be writing on
 * its own thread (format 2's first version copied results for that reason).
 */
class IndexedH2Collection extends H2Collection {
    private final MVMap<Object, byte[]> documents;

    IndexedH2Collection(MongoDatabase database, String name, CollectionOptions options,
                        MVMap<Object, byte[]> documents, MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, asDocumentMap(documents), meta, cursors);
        this.documents = documents;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MVMap<Object, Document> asDocumentMap(MVMap<Object, byte[]> documents) {
        return (MVMap) documents;
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        Iterable<Object> positions = IndexNarrowing.positions(getIndexes(), query);
        return positions == null
            ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
            : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
    }

    // The library's own key: the id field's value (Missing when absent), a random UUID without one.
    @Override
    protected Object addDocumentInternal(Document document) {
        Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
        byte[] previous = documents.put(Missing.ofNullable(key), BsonBytesType.encode(document));
        if (previous != null) throw new IllegalStateException("Document with key '" + key + "' already existed in " + this);
        return key;
    }

    @Override
    protected Document getDocument(Object position) {
        byte[] bson = documents.get(position);
        return bson == null ? null : BsonBytesType.decode(bson);
    }

    @Override
    protected void removeDocument(Object position) {
        if (documents.remove(position) == null) throw new NoSuchElementException("No document with key " + position);
    }

    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream().map(e -> new DocumentWithPosition<>(BsonBytesType.decode(e.getValue()), e.getKey()));
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        Stream<Document> all = isNaturalDescending(orderBy)
            ? streamAllDocumentsWithPosition()
                .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                .map(DocumentWithPosition::getDocument)
            : documents.values().stream().map(BsonBytesType::decode);
        return matchDocumentsFromStream(all, query, orderBy, skip, limit, batchSize, fields);
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        documents.put(Missing.ofNullable(position), BsonBytesType.encode(newDocument));
    }
}

/**
 * H2Database with the narrowing collection and the launcher's storage types (StandInStore); the
 * map names are the library's own (H2Database). The super constructors open existing
 * collections before a subclass field is set, so the one MVStore of the process is shared
 * through a static field set before them.
 */
class IndexedH2Database extends H2Database {
    private static volatile MVStore store;
    private static final Constructor<H2UniqueIndex> UNIQUE_INDEX;

    static {
        try {
            // Package-private in the library; its behaviour is kept, only the map's key type differs.
            UNIQUE_INDEX = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class, String.class, List.class, boolean.class);
            UNIQUE_INDEX.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("mongo-java-server changed H2UniqueIndex's constructor", e);
        }
    }

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
        MVMap<Object, byte[]> data = StandInStore.openDataMap(store, "databases." + fullName);
        MVMap<String, Object> meta = store.openMap("meta." + fullName);
        return new IndexedH2Collection(this, name, options, data, meta, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        MVMap<KeyValue, Object> map = StandInStore.openIndexMap(store, getFullCollectionNamespace(collectionName) + "._index_" + indexName);
        try {
            return UNIQUE_INDEX.newInstance(map, indexName, keys, sparse);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the unique index " + indexName, e);
        }
    }
}

/**
 * The library's H2 backend over the launcher's MVStore (StandInStore.open): a page cache of
 * `cacheMb` (H2's default, 16 MB, is far smaller than 100 k stored meetings) and the BSON /
 * KeyValue storage types.
 */
class IndexedH2Backend extends H2Backend {
    IndexedH2Backend(String file, int cacheMb, int commitDelayMs) {
        super(IndexedH2Database.share(StandInStore.open(file, cacheMb, commitDelayMs)));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String name) {
        return new IndexedH2Database(name, getCursorRegistry());
    }
}

/**
 * How the launcher lays out the H2 file (issue 14, profiled with Java Flight Recorder).
 *
 * The library opens every map with H2's ObjectDataType, which stores a Document (and a unique
 * index's KeyValue) with Java serialization: each page write ran ObjectOutputStream over every
 * document of the page, and, as KeyValue is not Comparable, every comparison of a B-tree
 * look-up in a unique index serialized both keys to compare their bytes (together about half
 * of the stand-in's CPU under ./dev load). Here:
 * - a collection's documents are stored as BSON (the wire format they arrived in), behind a
 *   tag byte ObjectDataType never writes, so documents an older launcher wrote are still read;
 *   in memory too they stay BSON bytes (BsonBytesType), decoded per read: H2's page cache then
 *   counts exactly what it holds (a decoded document takes about 6 times its BSON size on the
 *   heap, and counting it by an estimate let the cache overfill a 512 MiB heap);
 * - a unique index's keys get a type that compares values directly (KeyValueType). Its order
 *   differs from ObjectDataType's, so index maps written by an older launcher are rebuilt
 *   once, in one commit, on the first open (format 2, recorded in the map FORMAT_MAP).
 */
final class StandInStore {
    static final String FORMAT_MAP = "inviteflowStandInFormat"; // no '.': no database's prefix
    static final int FORMAT = 2;
    private static final BsonBytesType DOCUMENTS = new BsonBytesType();
    private static final KeyValueType INDEX_KEYS = new KeyValueType();

    private StandInStore() {
    }

    static MVStore open(String file, int cacheMb, int commitDelayMs) {
        // Auto-commit off until the format is settled, so the migration is one atomic commit.
        MVStore store = new MVStore.Builder().fileName(file).cacheSize(cacheMb).autoCommitDisabled().open();
        MVMap<String, Object> format = store.openMap(FORMAT_MAP);
        if (!Integer.valueOf(FORMAT).equals(format.get("format"))) {
            for (String name : new ArrayList<>(store.getMapNames())) {
                if (isIndexMap(name)) rebuildIndexMap(store, name);
            }
            format.put("format", FORMAT);
            store.commit();
        }
        store.setAutoCommitDelay(commitDelayMs);
        return store;
    }

    static boolean isIndexMap(String name) {
        return name.contains("._index_") && !name.startsWith("databases.") && !name.startsWith("meta.");
    }

    /** An index map written with ObjectDataType's key order, re-inserted in KeyValueType's. */
    private static void rebuildIndexMap(MVStore store, String name) {
        MVMap<Object, Object> legacy = store.openMap(name);
        List<Map.Entry<Object, Object>> entries = new ArrayList<>();
        for (Map.Entry<Object, Object> e : legacy.entrySet()) entries.add(new AbstractMap.SimpleEntry<>(e.getKey(), e.getValue()));
        store.removeMap(legacy);
        MVMap<KeyValue, Object> rebuilt = openIndexMap(store, name);
        for (Map.Entry<Object, Object> e : entries) rebuilt.put((KeyValue) e.getKey(), e.getValue());
    }

    static MVMap<Object, byte[]> openDataMap(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<Object, byte[]>().valueType(DOCUMENTS));
    }

    static MVMap<KeyValue, Object> openIndexMap(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(INDEX_KEYS));
    }
}

/**
 * A document as its BSON bytes: on disk behind TAG, in memory (H2's pages and page cache) as
 * the byte[] itself, so getMemory is exact. Anything without TAG on disk is a document
 * ObjectDataType wrote (files from before format 2): read as it was, then held as BSON too.
 * Encoding and decoding are the library's own wire codec, so what is stored is what a client
 * would be sent.
 */
final class BsonBytesType extends BasicDataType<byte[]> {
    /** Not a type tag of ObjectDataType (which uses 0–19 and 32–119). */
    static final byte TAG = (byte) 0xB5;
    private final ObjectDataType legacy = new ObjectDataType();

    static byte[] encode(Document document) {
        ByteBuf bson = Unpooled.buffer(1024);
        try {
            BsonEncoder.encodeDocument(document, bson);
            byte[] bytes = new byte[bson.readableBytes()];
            bson.readBytes(bytes);
            return bytes;
        } finally {
            bson.release();
        }
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    /**
     * A byte[]'s heap size (64-bit JVM, compressed oops: a 16-byte header, the bytes, padded to
     * 8), plus the array slot of the page that points to it.
     */
    @Override
    public int getMemory(byte[] bson) {
        return ((16 + bson.length + 7) & ~7) + 4;
    }

    /** Exact and cheap, so H2 need not estimate it from samples. */
    @Override
    public boolean isMemoryEstimationAllowed() {
        return false;
    }

    @Override
    public void write(WriteBuffer buff, byte[] bson) {
        buff.put(TAG).put(bson);
    }

    @Override
    public byte[] read(ByteBuffer buff) {
        if (buff.get(buff.position()) != TAG) return encode((Document) legacy.read(buff));
        buff.get();
        int length = Integer.reverseBytes(buff.getInt(buff.position())); // BSON: int32 little-endian
        byte[] bson = new byte[length];
        buff.get(bson);
        return bson;
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }

    /** H2 compares values only to check a replace/remove by value, which the library never does. */
    @Override
    public int compare(byte[] a, byte[] b) {
        return Arrays.compare(a, b);
    }
}

/**
 * A unique index's key (KeyValue: the normalized values of the index's fields). The order is
 * by value with no serialization for the types keys hold in practice (null, String, Integer,
 * Long, Double, Boolean, ObjectId); any other value (a sub-document, a list, a date, Missing)
 * is ordered as ObjectDataType ordered it, by its Java-serialized bytes. Two keys compare
 * equal exactly when their values are equal one by one (KeyValue.equals), as the unique
 * check needs: natural orders of those types agree with equals, values of different types
 * never compare equal (so Integer 1 and Long 1 stay distinct, as they were).
 */
final class KeyValueType extends BasicDataType<KeyValue> {
    private static final byte NULL = 0, STRING = 1, INTEGER = 2, LONG = 3, DOUBLE = 4, BOOLEAN = 5, OBJECT_ID = 6, OTHER = 7;
    private final ObjectDataType other = new ObjectDataType();

    @Override
    public int compare(KeyValue a, KeyValue b) {
        if (a == b) return 0;
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    static byte kind(Object v) {
        if (v == null) return NULL;
        Class<?> c = v.getClass();
        if (c == String.class) return STRING;
        if (c == Integer.class) return INTEGER;
        if (c == Long.class) return LONG;
        if (c == Double.class) return DOUBLE;
        if (c == Boolean.class) return BOOLEAN;
        if (c == ObjectId.class) return OBJECT_ID;
        return OTHER;
    }

    private int compareValues(Object a, Object b) {
        byte ka = kind(a), kb = kind(b);
        if (ka != kb) return Byte.compare(ka, kb);
        switch (ka) {
            case NULL: return 0;
            case STRING: return ((String) a).compareTo((String) b);
            case INTEGER: return Integer.compare((Integer) a, (Integer) b);
            case LONG: return Long.compare((Long) a, (Long) b);
            case DOUBLE: return Double.compare((Double) a, (Double) b);
            case BOOLEAN: return Boolean.compare((Boolean) a, (Boolean) b);
            case OBJECT_ID: return ((ObjectId) a).compareTo((ObjectId) b);
            default:
                int byClass = a.getClass().getName().compareTo(b.getClass().getName());
                return byClass != 0 ? byClass : other.compare(a, b);
        }
    }

    /**
     * Heap bytes of a key, for H2's cache accounting: the KeyValue, its list and array (48), per
     * value the slot and the object (measured on a 64-bit JVM with compressed oops: a 37-char
     * String key 133 bytes, counted 162; a String and a boxed Integer 120, counted 150; an
     * ObjectId 113, counted 120). Rare values (sub-documents, lists, dates) as ObjectDataType
     * counts them, plus a margin.
     */
    @Override
    public int getMemory(KeyValue key) {
        int bytes = 48;
        for (Object v : key) {
            switch (kind(v)) {
                case NULL: case BOOLEAN: bytes += 8; break;
                case STRING: bytes += 48 + 2 * ((String) v).length(); break;
                case OBJECT_ID: bytes += 72; break;
                case OTHER: bytes += 64 + other.getMemory(v); break;
                default: bytes += 32;
            }
        }
        return bytes;
    }

    @Override
    public void write(WriteBuffer buff, KeyValue key) {
        buff.putVarInt(key.size());
        for (Object v : key) {
            byte kind = kind(v);
            buff.put(kind);
            switch (kind) {
                case NULL: break;
                case STRING: StringDataType.INSTANCE.write(buff, (String) v); break;
                case INTEGER: buff.putInt((Integer) v); break;
                case LONG: buff.putLong((Long) v); break;
                case DOUBLE: buff.putDouble((Double) v); break;
                case BOOLEAN: buff.put((byte) ((Boolean) v ? 1 : 0)); break;
                case OBJECT_ID: buff.put(((ObjectId) v).toByteArray()); break;
                default: other.write(buff, v);
            }
        }
    }

    @Override
    public KeyValue read(ByteBuffer buff) {
        int n = org.h2.mvstore.DataUtils.readVarInt(buff);
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte kind = buff.get();
            switch (kind) {
                case NULL: values.add(null); break;
                case STRING: values.add(StringDataType.INSTANCE.read(buff)); break;
                case INTEGER: values.add(buff.getInt()); break;
                case LONG: values.add(buff.getLong()); break;
                case DOUBLE: values.add(buff.getDouble()); break;
                case BOOLEAN: values.add(buff.get() != 0); break;
                case OBJECT_ID: {
                    byte[] id = new byte[12];
                    buff.get(id);
                    values.add(new ObjectId(id));
                    break;
                }
                default: values.add(other.read(buff));
            }
        }
        return new KeyValue(values);
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }
}
