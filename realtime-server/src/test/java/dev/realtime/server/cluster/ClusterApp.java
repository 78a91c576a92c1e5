package dev.realtime.server.cluster;

/** The app every node of the test cluster serves, and the Node tests sign with. */
record ClusterApp(String id, String key, String secret) {
    static final ClusterApp IT = new ClusterApp("cluster-it", "cluster-it-key", "cluster-it-secret");
}
