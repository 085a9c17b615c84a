package dev.osapimonitor.extension.it.apps;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Every file operation the file family instruments, in a directory given as the first argument. */
public final class FileWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    File io = dir.resolve("io.txt").toFile();
    try (FileOutputStream out = new FileOutputStream(io)) {
      out.write('a');
    }
    try (FileOutputStream out = new FileOutputStream(io, true)) {
      out.write('b');
    }
    try (FileInputStream in = new FileInputStream(io)) {
      in.read();
    }
    try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("raf.bin").toFile(), "rw")) {
      raf.write(1);
    }
    try (FileWriter w = new FileWriter(dir.resolve("writer.txt").toFile())) {
      w.write("w");
    }
    try (FileReader r = new FileReader(dir.resolve("writer.txt").toFile())) {
      r.read();
    }
    Path nio = dir.resolve("nio.txt");
    Files.write(nio, "nio".getBytes(StandardCharsets.UTF_8));
    Files.readAllBytes(nio);
    try (InputStream in = Files.newInputStream(nio)) {
      in.read();
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve("nio-out.txt"))) {
      out.write(1);
    }
    try (SeekableByteChannel ch = Files.newByteChannel(nio, StandardOpenOption.READ)) {
      ch.size();
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("channel.bin"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      ch.size();
    }
    Files.createFile(dir.resolve("created-nio.txt"));
    new File(dir.toFile(), "created-io.txt").createNewFile();
    new File(dir.toFile(), "made-io").mkdir();
    Files.createDirectory(dir.resolve("made-nio"));
    new File(dir.toFile(), "created-io.txt").renameTo(new File(dir.toFile(), "renamed-io.txt"));
    Files.move(dir.resolve("created-nio.txt"), dir.resolve("moved-nio.txt"));
    new File(dir.toFile(), "renamed-io.txt").setExecutable(true, true);
    Files.setPosixFilePermissions(dir.resolve("moved-nio.txt"), PosixFilePermissions.fromString("rw-r-----"));
    new File(dir.toFile(), "renamed-io.txt").delete();
    Files.delete(dir.resolve("moved-nio.txt"));
    try {
      new FileInputStream(dir.resolve("missing.txt").toFile());
    } catch (FileNotFoundException e) {
      System.out.println("missing: " + e.getClass().getName() + ": " + e.getMessage());
    }
    System.out.println("done");
  }
}
