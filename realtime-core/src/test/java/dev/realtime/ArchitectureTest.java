package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, enforced by the build: only realtime-core names {@code dev.realtime.internal},
 * and nothing public in {@code dev.realtime}, {@code dev.realtime.spi} or {@code dev.realtime.testing}
 * exposes an internal type. (Run from realtime-core; the sibling modules are read from their sources.)
 */
class ArchitectureTest {
    private static final String INTERNAL = "dev.realtime.internal";

    @Test
    void noModuleButCoreNamesTheInternalPackage() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src"))).toList()) {
                if (module.getFileName().toString().equals("realtime-core")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        if (Files.readString(f).contains(INTERNAL)) {
                            offenders.add(root.relativize(f).toString());
                        }
                    }
                }
            }
        }
        assertThat(offenders).as("sources outside realtime-core that use " + INTERNAL + ": ask for a public type instead")
                .isEmpty();
    }

    @Test
    void thePublicApiNeverExposesAnInternalType() throws Exception {
        Path classes = Path.of("target", "classes");
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replace(".class", "");
                if (name.startsWith(INTERNAL) || name.equals("module-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                if (!Modifier.isPublic(c.getModifiers())) {
                    continue;
                }
                if (c.getGenericSuperclass() != null && leaks(c.getGenericSuperclass())) {
                    leaks.add(name + " extends " + c.getGenericSuperclass());
                }
                for (Type t : c.getGenericInterfaces()) {
                    if (leaks(t)) {
                        leaks.add(name + " implements " + t);
                    }
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (visible(m.getModifiers()) && (leaks(m.getGenericReturnType()) || leaks(m))) {
                        leaks.add(m.toGenericString());
                    }
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (visible(k.getModifiers()) && leaks(k)) {
                        leaks.add(k.toGenericString());
                    }
                }
                for (Field fld : c.getDeclaredFields()) {
                    if (visible(fld.getModifiers()) && leaks(fld.getGenericType())) {
                        leaks.add(fld.toGenericString());
                    }
                }
            }
        }
        assertThat(leaks).as("public signatures naming " + INTERNAL).isEmpty();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean leaks(Executable e) {
        for (Type t : e.getGenericParameterTypes()) {
            if (leaks(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean leaks(Type t) {
        return t.getTypeName().contains(INTERNAL);
    }
}
