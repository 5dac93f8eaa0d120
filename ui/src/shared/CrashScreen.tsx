import { Component } from "react";
import type { ReactNode } from "react";
import { CloseCircleFilled } from "@ant-design/icons";

interface State {
  error: Error | null;
}

/** A rendering failure shows what happened instead of a blank window; saved data is safe. */
export default class CrashScreen extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        // Plain markup, not antd's Result, whose illustrations would sit in the first chunk
        // the window parses at every start.
        <div className="centered-page" role="alert">
          <div style={{ textAlign: "center", maxWidth: 560 }}>
            <CloseCircleFilled style={{ fontSize: 72, color: "#c0392b" }} />
            <h1 style={{ fontSize: 24, fontWeight: 500, margin: "24px 0 8px" }}>界面出错了 / The window failed</h1>
            <p style={{ color: "rgba(0, 0, 0, 0.62)", margin: 0 }}>
              {`已保存的数据不受影响，请重启应用。Saved data is safe: restart the app. (${this.state.error.message})`}
            </p>
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}
