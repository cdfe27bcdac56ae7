package org.geohazard.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the machine's CPU goes while the pipeline runs, from Linux's own counters: every thread of this
 * JVM ({@code /proc/self/task/N/stat}, grouped by thread name), the stack's processes (Kafka broker,
 * s3proxy, MariaDB, Redis) and the whole machine ({@code /proc/stat}). Divided by the images processed
 * between two snapshots this gives CPU milliseconds per image for each part of the pipeline, which is
 * what bounds the ratio pipeline ÷ raw when every part shares the same cores.
 *
 * <p>ONNX Runtime's intra-op threads are native threads created while the session is built; Linux gives
 * a new thread its creator's name, so in the node they carry the name of the worker thread that opened
 * the session ({@code geohazard-ort-N...}) and are counted with it. Counters are in clock ticks
 * ({@code USER_HZ}, 100 per second on Linux), so a part's figure is only meaningful over many images.
 */
final class CpuAccounting {

  /** Parts of the pipeline, in the order they are printed. */
  static final List<String> PARTS = List.of(
      "ort", "decode+letterbox", "probe+hash", "s3 client", "event loops", "kafka clients", "jvm gc", "jvm jit",
      "other node threads", "kafka broker", "s3proxy", "bare s3 store", "mariadb", "redis", "bench client",
      "rest of machine");

  private static final double MS_PER_TICK = 1000.0 / 100;
  private static final Path PROC = Path.of("/proc");

  /** Ticks per part, and the machine's busy ticks, at one instant. */
  record Snapshot(Map<String, Long> ticks, long machineBusy, long machineTotal) {}

  /** CPU milliseconds per image per part between two snapshots, and the machine's utilisation. */
  record PerImage(Map<String, Double> msPerImage, double totalMsPerImage, double nodeMsPerImage,
                  double machineUtilisation) {
    double share(String part) {
      return msPerImage.getOrDefault(part, 0.0) / totalMsPerImage;
    }

    /** The part's share of the node's own CPU, as on a host where the stack runs elsewhere. */
    double shareOfNode(String part) {
      return msPerImage.getOrDefault(part, 0.0) / nodeMsPerImage;
    }
  }

  /**
   * The stack's folder ({@code .stack} of the checkout that started it) when known: then only the Kafka broker and
   * s3proxy started from it are counted, not those of other stacks on the same machine (each runs with
   * {@code -Dgeohazard.stack=<folder>/kafka} or {@code .../s3proxy}). MariaDB and Redis are shared servers and are
   * counted whole either way.
   */
  private static volatile String stackDir;

  private CpuAccounting() {}

  /** Counts only the broker and s3proxy started from this stack folder (see {@link #stackDir}). */
  static void onlyStack(java.nio.file.Path folder) {
    stackDir = folder.toAbsolutePath().normalize().toString();
  }

  static boolean available() {
    return Files.isReadable(PROC.resolve("self/task")) && Files.isReadable(PROC.resolve("stat"));
  }

  static Snapshot snapshot() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    PARTS.forEach(part -> ticks.put(part, 0L));
    long ownPid = ProcessHandle.current().pid();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(PROC.resolve("self/task"))) {
      for (Path thread : threads) {
        Stat stat = Stat.read(thread.resolve("stat"));
        if (stat != null) {
          ticks.merge(threadPart(stat.name()), stat.ticks(), Long::sum);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read this process's threads: " + e.getMessage(), e);
    }
    long stackTicks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path process : processes) {
        if (Long.parseLong(process.getFileName().toString()) == ownPid) {
          continue;
        }
        String part = processPart(process);
        if (part != null) {
          Stat stat = Stat.read(process.resolve("stat"));
          if (stat != null) {
            ticks.merge(part, stat.ticks(), Long::sum);
            stackTicks += stat.ticks();
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list processes: " + e.getMessage(), e);
    }
    long[] machine = machineTicks();
    long ownTicks = 0;
    for (String part : PARTS) {
      if (!isStackProcess(part) && !part.equals("rest of machine")) {
        ownTicks += ticks.get(part);
      }
    }
    // Whatever else ran: other users' work, the kernel's own threads, the processes of finished ones.
    ticks.put("rest of machine", machine[0] - ownTicks - stackTicks);
    return new Snapshot(ticks, machine[0], machine[1]);
  }

  static PerImage between(Snapshot before, Snapshot after, long images) {
    Map<String, Double> perImage = new LinkedHashMap<>();
    double total = 0;
    double node = 0;
    for (String part : PARTS) {
      // Processes that ended between the snapshots make "rest of machine" negative; it is not below zero.
      double ms = Math.max(0, after.ticks().get(part) - before.ticks().get(part)) * MS_PER_TICK / images;
      perImage.put(part, ms);
      if (!part.equals("bench client")) {
        total += ms;
      }
      if (isNodePart(part)) {
        node += ms;
      }
    }
    long busy = after.machineBusy() - before.machineBusy();
    long all = after.machineTotal() - before.machineTotal();
    return new PerImage(perImage, total, node, all == 0 ? Double.NaN : (double) busy / all);
  }

  /** This JVM's threads by name (Linux keeps the first 15 characters). */
  static String threadPart(String name) {
    if (name.startsWith("geohazard-ort")) {
      return "ort";
    }
    if (name.startsWith("geohazard-prep")) {
      return "decode+letterbox";
    }
    if (name.startsWith("geohazard-inge")) {
      return "probe+hash";
    }
    if (name.startsWith("geohazard-s3")) {
      return "s3 client";
    }
    if (name.startsWith("bench-client")) {
      return "bench client";
    }
    if (name.startsWith("vert.x-eventloo")) {
      return "event loops";
    }
    if (name.toLowerCase(Locale.ROOT).contains("kafka")) {
      return "kafka clients";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "jvm gc";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.startsWith("Sweeper")) {
      return "jvm jit";
    }
    return "other node threads";
  }

  /** The geohazard node's own threads (this JVM less the benchmark's client). */
  static boolean isNodePart(String part) {
    return !isStackProcess(part) && !part.equals("bench client") && !part.equals("rest of machine");
  }

  private static boolean isStackProcess(String part) {
    return part.equals("kafka broker") || part.equals("s3proxy") || part.equals("bare s3 store")
        || part.equals("mariadb") || part.equals("redis");
  }

  private static String processPart(Path process) {
    try {
      String comm = Files.readString(process.resolve("comm")).strip();
      if (comm.equals("mariadbd") || comm.equals("mysqld")) {
        return "mariadb";
      }
      if (comm.startsWith("redis-server")) {
        return "redis";
      }
      if (!comm.equals("java")) {
        return null;
      }
      String cmdline = Files.readString(process.resolve("cmdline"));
      String stack = stackDir;
      if (stack != null && (cmdline.contains("kafka.Kafka") || cmdline.contains("s3proxy"))
          && !cmdline.contains("-Dgeohazard.stack=" + stack + "/")) {
        return null; // another checkout's stack
      }
      if (cmdline.contains("kafka.Kafka")) {
        return "kafka broker";
      }
      if (cmdline.contains("s3proxy")) {
        return "s3proxy";
      }
      if (cmdline.contains(BareServer.class.getName()) && cmdline.contains("--s3")) {
        return "bare s3 store";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // ended, or not ours to read
    }
  }

  /** Busy and total ticks of all cores since boot, from the first line of /proc/stat. */
  static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
      long total = 0;
      long idle = 0;
      // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
      for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
        long value = Long.parseLong(fields[i]);
        total += value;
        if (i == 4 || i == 5) {
          idle += value;
        }
      }
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
    }
  }

  /** A thread's or process's name and its user + system ticks. */
  private record Stat(String name, long ticks) {
    static Stat read(Path file) {
      try {
        String line = Files.readString(file);
        // "pid (name) state ..." where the name may itself hold spaces and parentheses.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String[] rest = line.substring(close + 2).split(" ");
        // After the name: state is field 3 of the man page, utime 14 and stime 15, so 11 and 12 here.
        return new Stat(line.substring(open + 1, close), Long.parseLong(rest[11]) + Long.parseLong(rest[12]));
      } catch (IOException | RuntimeException e) {
        return null; // the thread or process ended meanwhile
      }
    }
  }

  static String format(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
