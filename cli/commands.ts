/**
 * Commands that live in their own modules register themselves here (population, titrate), so that
 * cli/main.ts stays the one place that parses arguments and maps errors to exit codes.
 */
import './titrate.ts';
import './population.ts';
import './batch.ts';
import './sweep.ts';
import './validate.ts';
import './export.ts';
import './sweetspot.ts';
