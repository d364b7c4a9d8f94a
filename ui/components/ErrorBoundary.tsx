// `ErrorBoundary` (props `name`, `recovery`): a failing panel or view shows its error; the rest keeps working.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What the panel or view is, for the message. */
  readonly name: string;
  /** What still holds and how to recover, when more than "the other panels still work" is true. */
  readonly recovery?: string;
  readonly children: ReactNode;
}
interface State {
  readonly error: Error | null;
}

/**
 * A panel or view that fails shows what failed and a way to retry, and the rest of the dashboard keeps
 * working: a bug (never a bad entry, which the panels check) never blanks the page.
 */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for whoever reads the console; the panel itself says what happened.
    console.error(`KetaSim: the ${this.props.name} panel failed`, error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="panel panel-failed" role="alert">
        <h2>{this.props.name}</h2>
        <p>This stopped because of an error in KetaSim ({this.state.error.message}). The other panels still work.</p>
        {this.props.recovery && <p>{this.props.recovery}</p>}
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
