package dev.realtime.spring.autoconfigure;

import dev.realtime.ChannelRequest;
import dev.realtime.Member;
import dev.realtime.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.MethodParameter;

/**
 * One {@code @RealtimeChannel} method, checked when the application starts and called for each
 * authorization: its parameters are bound from the user, the channel request and the pattern's
 * placeholders; its result becomes the allow/deny of a private channel or the member of a presence one.
 */
final class ChannelMethod {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final ConversionService CONVERSIONS = DefaultConversionService.getSharedInstance();

    private enum Kind { USER, REQUEST, PLACEHOLDER }

    private record Binding(Kind kind, String name, TypeDescriptor type) {
    }

    private final String pattern;
    private final boolean presence;
    private final Method method;
    private final Supplier<Object> bean;
    private final List<Binding> bindings;
    private final String where;

    private ChannelMethod(String pattern, Method method, Supplier<Object> bean, List<Binding> bindings) {
        this.pattern = pattern;
        this.presence = pattern.startsWith("presence-");
        this.method = method;
        this.bean = bean;
        this.bindings = bindings;
        this.where = describe(method);
    }

    /**
     * Checks {@code method} against {@code pattern} and returns it bound to the bean {@code bean} supplies
     * (asked for at the first authorization, so the bean may itself depend on the Realtime bean).
     *
     * @throws IllegalStateException naming the method when its pattern, parameters or return type do not fit
     */
    static ChannelMethod of(String pattern, Method method, Supplier<Object> bean) {
        String where = describe(method);
        if (pattern == null || !(pattern.startsWith("private-") || pattern.startsWith("presence-"))) {
            throw new IllegalStateException(where + ": @RealtimeChannel(\"" + pattern + "\") must name a 'private-' or "
                    + "'presence-' pattern (public channels need no authorization)");
        }
        Set<String> placeholders = placeholders(pattern);
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            Parameter p = method.getParameters()[i];
            if (p.getType() == User.class) {
                bindings.add(new Binding(Kind.USER, null, null));
            } else if (p.getType() == ChannelRequest.class) {
                bindings.add(new Binding(Kind.REQUEST, null, null));
            } else {
                if (!p.isNamePresent()) {
                    throw new IllegalStateException(where + ": parameter " + (i + 1) + " (" + p.getType().getSimpleName()
                            + ") cannot be bound by name: compile with -parameters (spring-boot-starter-parent does), "
                            + "or take a ChannelRequest and read channel.param(\"name\")");
                }
                if (!placeholders.contains(p.getName())) {
                    throw new IllegalStateException(where + ": parameter '" + p.getName() + "' is not a placeholder of '"
                            + pattern + "' (placeholders: " + placeholders + "); parameters are the User, the ChannelRequest "
                            + "and the placeholders by name");
                }
                TypeDescriptor type = new TypeDescriptor(MethodParameter.forParameter(p));
                if (!CONVERSIONS.canConvert(TypeDescriptor.valueOf(String.class), type)) {
                    throw new IllegalStateException(where + ": parameter '" + p.getName() + "' of type "
                            + p.getType().getName() + " cannot be converted from the channel name's text");
                }
                bindings.add(new Binding(Kind.PLACEHOLDER, p.getName(), type));
            }
        }
        Class<?> returns = method.getReturnType();
        boolean bool = returns == boolean.class || returns == Boolean.class;
        boolean presence = pattern.startsWith("presence-");
        if (!presence && !bool) {
            throw new IllegalStateException(where + ": a private channel authorizer returns boolean, not "
                    + returns.getSimpleName());
        }
        if (presence && !bool && returns != Member.class && !Map.class.isAssignableFrom(returns)) {
            throw new IllegalStateException(where + ": a presence channel authorizer returns the Member, a Map of "
                    + "the user's info or boolean, not " + returns.getSimpleName());
        }
        method.setAccessible(true);
        return new ChannelMethod(pattern, method, bean, List.copyOf(bindings));
    }

    String pattern() {
        return pattern;
    }

    boolean presence() {
        return presence;
    }

    /** The private channel's answer. */
    boolean allows(User user, ChannelRequest channel) {
        Object result = invoke(user, channel);
        return Boolean.TRUE.equals(result);
    }

    /** The presence channel's member, or null to deny. */
    @SuppressWarnings("unchecked")
    Member member(User user, ChannelRequest channel) {
        Object result = invoke(user, channel);
        if (result instanceof Member m) {
            return m;
        }
        if (result instanceof Map<?, ?> info) {
            return Member.of(user.id(), (Map<String, Object>) info);
        }
        return Boolean.TRUE.equals(result) ? Member.of(user.id(), user.info()) : null;
    }

    private Object invoke(User user, ChannelRequest channel) {
        Object[] args = new Object[bindings.size()];
        for (int i = 0; i < args.length; i++) {
            Binding b = bindings.get(i);
            switch (b.kind()) {
                case USER -> args[i] = user;
                case REQUEST -> args[i] = channel;
                case PLACEHOLDER -> {
                    try {
                        args[i] = CONVERSIONS.convert(channel.param(b.name()), TypeDescriptor.valueOf(String.class), b.type());
                    } catch (ConversionException e) {
                        return null; // private-user.abc for a long userId: no such channel, denied
                    }
                }
            }
        }
        Object target = bean.get();
        Method invocable = AopUtils.selectInvocableMethod(method, target.getClass());
        try {
            return invocable.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(where + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(where + " cannot be called: " + e.getMessage(), e);
        }
    }

    private static Set<String> placeholders(String pattern) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String describe(Method m) {
        return "@RealtimeChannel method " + m.getDeclaringClass().getName() + "." + m.getName() + "()";
    }

    @Override
    public String toString() {
        return where + " for '" + pattern + "'";
    }
}
