package io.jenkins.plugins.rollbackguard.conventions;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The checks behind the convention tests, on text only. Each check returns one line per problem, naming the file
 * and what is wrong, so that a test can assert an empty list for the project and a non-empty one for a bad snippet.
 */
final class Conventions {
    private static final Pattern ESCAPE_BY_DEFAULT = Pattern.compile(
            "\\A\\uFEFF?\\s*<\\?jelly\\s+escape-by-default\\s*=\\s*(['\"])true\\1\\s*\\?>");
    private static final Pattern FIELD_ATTRIBUTE = Pattern.compile("\\bfield\\s*=\\s*(['\"])([^'\"]+)\\1");
    private static final Pattern JELLY_KEY = Pattern.compile("\\$\\{%([^}(]+)");
    private static final Pattern MESSAGES_CALL = Pattern.compile(
            "(?<![\\w$])((?:[a-z_][\\w$]*\\.)*)Messages\\s*\\.\\s*_?([A-Za-z][\\w$]*)\\s*\\(");
    private static final Pattern MESSAGES_IMPORT = Pattern.compile("import\\s+([\\w.]+)\\.Messages\\s*;");
    private static final Pattern PACKAGE = Pattern.compile("package\\s+([\\w.]+)\\s*;");
    private static final Pattern JENKINS_INSTANCE = Pattern.compile(
            "\\bJenkins\\s*\\.\\s*(get|getInstance|getInstanceOrNull|getActiveInstance)\\s*\\(");
    private static final Pattern SINGLE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");
    private static final String ACTION_FACTORY = "TransientActionFactory";
    private static final Pattern ASKS_FOR_ACTIONS = Pattern.compile("\\b(getActions|getAction|getAllActions)\\s*\\(");
    private static final Pattern SUCCESS_BOUNDARY = Pattern.compile(
            "\\.\\s*(isWorseThan|isBetterOrEqualTo|isBetterThan|isWorseOrEqualTo)\\s*\\(\\s*(?:hudson\\.model\\.)?Result\\s*\\.\\s*SUCCESS\\s*\\)");
    private static final String TARGET_ACTION = "RollbackTargetAction";
    private static final Pattern SCHEDULE_BUILD2 = Pattern.compile("\\bscheduleBuild2\\s*\\(");
    private static final Pattern SHOULD_SCHEDULE_TRUE = Pattern.compile(
            "\\bboolean\\s+shouldSchedule\\s*\\([^)]*\\)\\s*\\{\\s*return\\s+true\\s*;\\s*}");
    /** The only class that may call {@code Jenkins.get()}. */
    static final String FACADE = "JenkinsFacade";

    private Conventions() {
        // static checks only
    }

    /**
     * Checks that a Jelly file is well-formed, namespace-correct XML that starts with
     * {@code <?jelly escape-by-default='true'?>}.
     */
    static List<String> jellyProblems(final String file, final String content) {
        List<String> problems = new ArrayList<>();
        if (!ESCAPE_BY_DEFAULT.matcher(content).find()) {
            problems.add(file + ": does not start with <?jelly escape-by-default='true'?>");
        }
        try {
            newParser().parse(new InputSource(new StringReader(content)));
        }
        catch (SAXException e) {
            problems.add(file + ": not well-formed XML: " + e.getMessage());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    /** Lists the {@code field="…"} attributes of a view. */
    static Set<String> viewFields(final String jelly) {
        Set<String> fields = new LinkedHashSet<>();
        Matcher field = FIELD_ATTRIBUTE.matcher(jelly);
        while (field.find()) {
            fields.add(field.group(2));
        }
        return fields;
    }

    /**
     * Checks that a view and its class agree: every field of the view is a data-bound property, and every property
     * has a field in the view and a {@code help-<property>.html}.
     *
     * @param view
     *         the view's name, for messages
     * @param fields
     *         the view's fields
     * @param properties
     *         the class's data-bound properties
     * @param helpFiles
     *         the file names beside the view
     */
    static List<String> bindingProblems(final String view, final Set<String> fields, final Set<String> properties,
            final Set<String> helpFiles) {
        List<String> problems = new ArrayList<>();
        if (properties.isEmpty()) {
            problems.add(view + ": its class has no @DataBoundConstructor parameter or @DataBoundSetter");
        }
        fields.stream().filter(field -> !properties.contains(field))
                .forEach(field -> problems.add(view + ": field=\"" + field + "\" is not a data-bound property " + properties));
        properties.stream().filter(property -> !fields.contains(property))
                .forEach(property -> problems.add(view + ": property " + property + " has no field in the view"));
        properties.stream().filter(property -> !helpFiles.contains("help-" + property + ".html"))
                .forEach(property -> problems.add(view + ": property " + property + " has no help-" + property + ".html"));
        return problems;
    }

    /** Lists the {@code ${%key}} keys a Jelly view uses. */
    static Set<String> jellyKeys(final String jelly) {
        Set<String> keys = new TreeSet<>();
        Matcher key = JELLY_KEY.matcher(jelly);
        while (key.find()) {
            keys.add(key.group(1).trim());
        }
        return keys;
    }

    /**
     * Lists the {@code Messages} methods a Java source calls, by the package of the {@code Messages} class: an
     * explicit qualifier, else an import, else the source's own package.
     *
     * @return for each package, the called method names without a leading underscore
     */
    static Map<String, Set<String>> messagesCalls(final JavaSource source) {
        String code = source.code();
        Matcher imported = MESSAGES_IMPORT.matcher(code);
        Matcher declared = PACKAGE.matcher(code);
        String defaultPackage = imported.find() ? imported.group(1) : declared.find() ? declared.group(1) : "";
        Map<String, Set<String>> calls = new TreeMap<>();
        Matcher call = MESSAGES_CALL.matcher(code);
        while (call.find()) {
            String qualifier = call.group(1);
            String pkg = qualifier.isEmpty() ? defaultPackage : qualifier.substring(0, qualifier.length() - 1);
            calls.computeIfAbsent(pkg, p -> new TreeSet<>()).add(call.group(2));
        }
        return calls;
    }

    /**
     * Checks that each called {@code Messages} method has a key: the key with dots turned into underscores is the
     * method name.
     */
    static List<String> missingMessages(final String file, final Set<String> methods, final Properties messages) {
        Set<String> defined = new TreeSet<>();
        messages.stringPropertyNames().forEach(key -> defined.add(key.replace('.', '_')));
        return methods.stream().filter(method -> !defined.contains(method))
                .map(method -> file + ": Messages." + method + " has no key in Messages.properties").toList();
    }

    /** Checks that each key a view uses is in its properties. */
    static List<String> missingKeys(final String file, final Set<String> keys, final Properties properties) {
        return keys.stream().filter(key -> !properties.containsKey(key))
                .map(key -> file + ": ${%" + key + "} has no entry in its .properties").toList();
    }

    /**
     * Checks that no value has a lone apostrophe: localized texts go through {@code MessageFormat}, which drops it
     * and everything up to the next one, so write {@code ''}.
     */
    static List<String> apostropheProblems(final String file, final Properties properties) {
        return properties.stringPropertyNames().stream().sorted()
                .filter(key -> SINGLE_APOSTROPHE.matcher(properties.getProperty(key)).find())
                .map(key -> file + ": " + key + " has a single ' (MessageFormat needs '')").toList();
    }

    /**
     * Checks the web methods of a source: each {@code doCheck*}/{@code doFill*} is public, {@code @POST} and calls
     * {@code hasPermission}; every other public {@code do*} method is {@code @RequirePOST} or {@code @POST}.
     */
    static List<String> webMethodProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (JavaSource.WebMethod method : source.webMethods()) {
            String where = file + ": " + method.name();
            if (method.name().startsWith("doCheck") || method.name().startsWith("doFill")) {
                if (!method.hasAnnotation("POST")) {
                    problems.add(where + " is not annotated with @POST");
                }
                if (!method.isPublic()) {
                    problems.add(where + " is not public");
                }
                if (!method.body().contains("hasPermission(")) {
                    problems.add(where + " does not check a permission through the facade's hasPermission");
                }
            }
            else if (method.isPublic() && !method.hasAnnotation("POST") && !method.hasAnnotation("RequirePOST")) {
                problems.add(where + " is neither @RequirePOST nor @POST");
            }
        }
        return problems;
    }

    /** Checks that only the facade calls {@code Jenkins.get()} and its older variants. */
    static List<String> jenkinsInstanceCalls(final String file, final JavaSource source) {
        if (file.endsWith("/" + FACADE + ".java")) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        Matcher call = JENKINS_INSTANCE.matcher(source.code());
        while (call.find()) {
            problems.add(file + ": calls Jenkins." + call.group(1) + "() outside " + FACADE);
        }
        return problems;
    }

    /**
     * Checks that no {@code TransientActionFactory} asks its target for actions: {@code Actionable.getActions(Class)}
     * and {@code getAllActions()} call the transient action factories again, so a factory that asks recurses until
     * the stack overflows, which {@code Actionable.createFor} does not catch (every page of the target fails).
     */
    static List<String> actionFactoryProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        for (String type : source.declaredTypes()) {
            boolean factory = source.superclass(type)
                    .filter(name -> name.equals(ACTION_FACTORY) || name.endsWith("." + ACTION_FACTORY)).isPresent();
            if (factory) {
                Matcher call = ASKS_FOR_ACTIONS.matcher(source.ownBody(type).orElse(""));
                while (call.find()) {
                    problems.add(file + ": " + type + " calls " + call.group(1) + "() on its target; the factories "
                            + "are asked again and recurse");
                }
            }
        }
        return problems;
    }

    /**
     * Checks that no glue judges a freestyle build's steps against SUCCESS: an UNSTABLE build (tests failed, a
     * quality gate warned) deployed all the same; only a result worse than UNSTABLE is a failed deploy.
     */
    static List<String> buildResultBoundaryProblems(final String file, final JavaSource source) {
        List<String> problems = new ArrayList<>();
        Matcher comparison = SUCCESS_BOUNDARY.matcher(source.code());
        while (comparison.find()) {
            problems.add(file + ": compares a build result with " + comparison.group(1)
                    + "(Result.SUCCESS); UNSTABLE is a finished deploy, the boundary is Result.UNSTABLE");
        }
        return problems;
    }

    /**
     * Checks that reverting builds cannot be folded into a build already in the queue. {@code Queue.schedule2}
     * returns the existing item when no {@code QueueAction} of either item asks for a separate one, and drops the
     * new item's actions; {@code scheduleBuild2} hides that outcome. A source that creates a
     * {@code RollbackTargetAction} must not schedule through {@code scheduleBuild2}, and either the action answers
     * {@code shouldSchedule} with true or the source refuses when {@code ScheduleResult.isCreated()} is false.
     *
     * @param file
     *         the scheduling source's name, for messages
     * @param source
     *         a main source
     * @param targetAction
     *         the source of {@code RollbackTargetAction}
     */
    static List<String> revertSchedulingProblems(final String file, final JavaSource source,
            final JavaSource targetAction) {
        if (!source.code().contains("new " + TARGET_ACTION + "(")) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        if (SCHEDULE_BUILD2.matcher(source.code()).find()) {
            problems.add(file + ": schedules a reverting build with scheduleBuild2, which hides whether the queue "
                    + "folded it into an existing item");
        }
        boolean refusesFolding = source.code().contains(".isCreated()");
        boolean neverFolds = targetAction.header(TARGET_ACTION).filter(h -> h.contains("QueueAction")).isPresent()
                && SHOULD_SCHEDULE_TRUE.matcher(targetAction.ownBody(TARGET_ACTION).orElse("")).find();
        if (!refusesFolding && !neverFolds) {
            problems.add(file + ": a reverting build can be folded into a queued build: " + TARGET_ACTION
                    + " is no QueueAction answering shouldSchedule true, and ScheduleResult.isCreated() is not checked");
        }
        return problems;
    }

    /**
     * Reads a properties text (ISO-8859-1 escapes as Jenkins' localizer reads them).
     *
     * @param text
     *         the file's text
     * @return the properties
     */
    static Properties properties(final String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static DocumentBuilder newParser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(final org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        }
        catch (ParserConfigurationException e) {
            throw new IllegalStateException("No XML parser", e);
        }
    }
}
