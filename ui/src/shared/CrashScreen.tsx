import { Component } from "react";
import type { ReactNode } from "react";
import { Result } from "antd";

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
        <Result
          status="error"
          title="界面出错了 / The window failed"
          subTitle={`已保存的数据不受影响，请重启应用。Saved data is safe: restart the app. (${this.state.error.message})`}
        />
      );
    }
    return this.props.children;
  }
}
