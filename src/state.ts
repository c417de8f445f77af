// Names under which the main step tells the post step what to undo (core.saveState / core.getState).
export const STATE_PROFILE = 'aliyun-profile';
export const STATE_REFRESH = 'refresh-helper';
