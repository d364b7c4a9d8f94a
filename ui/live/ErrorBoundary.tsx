import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly what: string;
  readonly children: ReactNode;
}
interface State {
  readonly error: Error | null;
}

/**
 * Keeps a failure inside one view: if rendering Live mode or the Course view ever throws (a bug, never
 * a bad entry, which the views check), that view shows what failed and how to recover, and the rest of
 * the app (the plan, the disclaimer) stays up. Recorded data is in the course database and is not lost.
 */
export class ViewErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // Visible in the console for a bug report; the view itself shows the message.
    console.warn(`KetaSim ${this.props.what} failed:`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section className="panel problem-summary" role="alert">
        <p><strong>{this.props.what} stopped because of an internal error:</strong> {this.state.error.message}</p>
        <p>Everything recorded is kept in this browser's course database. Reload the page to continue.</p>
        <button type="button" onClick={() => this.setState({ error: null })}>Try again</button>
      </section>
    );
  }
}
